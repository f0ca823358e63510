package dev.traceinsights.tail;

import javax.annotation.Nullable;

/**
 * Whether a local trace is exported, and why. Exactly one of {@link #keepReason()} and {@link
 * #dropReason()} is set. One instance exists per reason, so deciding never allocates.
 */
public final class TailDecision {

  private static final TailDecision[] KEPT = new TailDecision[KeepReason.values().length];
  private static final TailDecision[] DROPPED = new TailDecision[DropReason.values().length];

  static {
    for (KeepReason reason : KeepReason.values()) {
      KEPT[reason.ordinal()] = new TailDecision(reason, null);
    }
    for (DropReason reason : DropReason.values()) {
      DROPPED[reason.ordinal()] = new TailDecision(null, reason);
    }
  }

  @Nullable private final KeepReason keepReason;
  @Nullable private final DropReason dropReason;

  private TailDecision(@Nullable KeepReason keepReason, @Nullable DropReason dropReason) {
    this.keepReason = keepReason;
    this.dropReason = dropReason;
  }

  public static TailDecision keep(KeepReason reason) {
    return KEPT[reason.ordinal()];
  }

  public static TailDecision drop(DropReason reason) {
    return DROPPED[reason.ordinal()];
  }

  public boolean isKept() {
    return keepReason != null;
  }

  @Nullable
  public KeepReason keepReason() {
    return keepReason;
  }

  @Nullable
  public DropReason dropReason() {
    return dropReason;
  }

  @Override
  public String toString() {
    return keepReason != null
        ? "keep(" + keepReason.attributeValue() + ')'
        : "drop(" + dropReason.attributeValue() + ')';
  }
}
