package dev.traceinsights.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrorFingerprintTest {

  private static final String TYPE = "java.lang.IllegalStateException";

  private static String stackTrace(String message, int line1, int line2, int lambda) {
    return TYPE
        + ": "
        + message
        + "\n\tat app//com.example.orders.OrderService.lambda$load$"
        + lambda
        + "(OrderService.java:"
        + line1
        + ")\n\tat java.base/java.util.Optional.orElseThrow(Optional.java:403)\n"
        + "\tat app//com.example.orders.OrderService.load(OrderService.java:"
        + line2
        + ")\n\tat app//com.example.orders.OrderController.get(OrderController.java:"
        + (line2 + 7)
        + ")\n";
  }

  @Test
  void isSixteenLowercaseHexCharacters() {
    assertThat(ErrorFingerprint.of(TYPE, "boom", null, "op")).matches("[0-9a-f]{16}");
  }

  @Test
  void equalAcrossNumbersIdsAndLineNumbers() {
    String first =
        ErrorFingerprint.of(
            TYPE,
            "order 42 of user 3f2a9c1e-7b7d-4c1a-9d7e-0a1b2c3d4e5f not found in 'eu-1' (0x7f3a)",
            stackTrace("…", 57, 31, 0),
            "GET /orders");
    String second =
        ErrorFingerprint.of(
            TYPE,
            "order 7 of user   9b1c2d3e-0000-4c1a-9d7e-aaaaaaaaaaaa not found in 'us-east'"
                + " (0x1)",
            stackTrace("…", 60, 35, 2),
            "GET /orders/{id}");

    assertThat(first).isEqualTo(second);
  }

  @Test
  void differentAcrossTypes() {
    String stack = stackTrace("x", 1, 2, 0);
    assertThat(ErrorFingerprint.of(TYPE, "x", stack, "op"))
        .isNotEqualTo(ErrorFingerprint.of("java.io.IOException", "x", stack, "op"));
  }

  @Test
  void differentAcrossMessageWordsAndTopFrames() {
    String stack = stackTrace("x", 1, 2, 0);
    assertThat(ErrorFingerprint.of(TYPE, "order not found", stack, "op"))
        .isNotEqualTo(ErrorFingerprint.of(TYPE, "order not paid", stack, "op"));
    String otherMethod = stack.replace("OrderService.load(", "OrderService.save(");
    assertThat(ErrorFingerprint.of(TYPE, "x", stack, "op"))
        .isNotEqualTo(ErrorFingerprint.of(TYPE, "x", otherMethod, "op"));
  }

  @Test
  void onlyTheTopThreeFramesCount() {
    String stack = stackTrace("x", 1, 2, 0);
    String otherCaller = stack.replace("OrderController.get(", "AdminController.get(");
    assertThat(ErrorFingerprint.of(TYPE, "x", stack, "op"))
        .isEqualTo(ErrorFingerprint.of(TYPE, "x", otherCaller, "op"));
  }

  @Test
  void spanNameCountsOnlyWithoutStackFrames() {
    assertThat(ErrorFingerprint.of("span_error", "", null, "GET /a"))
        .isNotEqualTo(ErrorFingerprint.of("span_error", "", null, "GET /b"));
    assertThat(ErrorFingerprint.of("span_error", "", "no frames here", "GET /a"))
        .isNotEqualTo(ErrorFingerprint.of("span_error", "", "no frames here", "GET /b"));
    String stack = stackTrace("x", 1, 2, 0);
    assertThat(ErrorFingerprint.of(TYPE, "x", stack, "GET /a"))
        .isEqualTo(ErrorFingerprint.of(TYPE, "x", stack, "GET /b"))
        .isEqualTo(ErrorFingerprint.of(TYPE, "x", stack, null));
  }

  @Test
  void nullMessageEqualsEmptyMessage() {
    assertThat(ErrorFingerprint.of(TYPE, null, null, "op"))
        .isEqualTo(ErrorFingerprint.of(TYPE, "", null, "op"));
  }

  @Test
  void requiresAType() {
    assertThatThrownBy(() -> ErrorFingerprint.of(null, "x", null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void normalizesMessages() {
    assertThat(ErrorFingerprint.normalizeMessage("  Timeout after 30.5 s\n on  host-12 "))
        .isEqualTo("Timeout after <num> s on host-<num>");
    assertThat(ErrorFingerprint.normalizeMessage("can't find user 'bob' nor \"alice\""))
        .isEqualTo("can't find user <str> nor <str>");
    assertThat(ErrorFingerprint.normalizeMessage("id 123e4567-e89b-12d3-a456-426614174000 gone"))
        .isEqualTo("id <uuid> gone");
    assertThat(ErrorFingerprint.normalizeMessage("trace 4bf92f3577b34da6a3ce929d0e0e4736 at 0xFF"))
        .isEqualTo("trace <hex> at <hex>");
    assertThat(ErrorFingerprint.normalizeMessage("key_deadbeef01 and 1234567890"))
        .isEqualTo("key_<hex> and <num>");
    // Words are not ids: fewer than 8 hex letters, or letters beyond f.
    assertThat(ErrorFingerprint.normalizeMessage("decade effaced database"))
        .isEqualTo("decade effaced database");
  }

  @Test
  void normalizesFrames() {
    assertThat(ErrorFingerprint.normalizeFrame("com.example.Foo.bar(Foo.java:12)"))
        .isEqualTo("com.example.Foo.bar");
    assertThat(ErrorFingerprint.normalizeFrame("java.base/java.lang.Thread.run(Thread.java:1583)"))
        .isEqualTo("java.lang.Thread.run");
    assertThat(
            ErrorFingerprint.normalizeFrame("app//com.example.Foo.lambda$handle$12(Foo.java:40)"))
        .isEqualTo("com.example.Foo.lambda$handle$N");
    assertThat(
            ErrorFingerprint.normalizeFrame(
                "com.example.Foo$$Lambda/0x000071a2c8012345.apply(Unknown Source)"))
        .isEqualTo("com.example.Foo$$Lambda.apply");
    assertThat(
            ErrorFingerprint.normalizeFrame(
                "com.example.Foo$$Lambda$41/0x0000000800c0b040.apply(Unknown Source)"))
        .isEqualTo("com.example.Foo$$Lambda.apply");
    assertThat(ErrorFingerprint.normalizeFrame("com.example.Foo$2.run(Foo.java:7)"))
        .isEqualTo("com.example.Foo$N.run");
    assertThat(
            ErrorFingerprint.normalizeFrame(
                "com.example.Service$$SpringCGLIB$$0.call(<generated>)"))
        .isEqualTo("com.example.Service$$SpringCGLIB$$N.call");
    assertThat(
            ErrorFingerprint.normalizeFrame(
                "jdk.internal.reflect.GeneratedMethodAccessor87.invoke(Unknown Source)"))
        .isEqualTo("jdk.internal.reflect.GeneratedMethodAccessorN.invoke");
  }

  @Test
  void readsTheTopFramesOfAStackTrace() {
    assertThat(ErrorFingerprint.topFrames(stackTrace("x", 1, 2, 3), 3))
        .containsExactly(
            "com.example.orders.OrderService.lambda$load$N",
            "java.util.Optional.orElseThrow",
            "com.example.orders.OrderService.load");
    assertThat(ErrorFingerprint.topFrames("java.lang.Error: no frames", 3)).isEmpty();
  }
}
