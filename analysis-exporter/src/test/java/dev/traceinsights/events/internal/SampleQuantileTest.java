package dev.traceinsights.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SampleQuantileTest {

  @Test
  void p95OfTwentyIsTheSecondLargest() {
    // 20 .. 1 (unsorted on purpose): rank floor(0.95 * 19) = 18 of 0..19 is 19.
    // k = round(sqrt(20 * 0.95 * 0.05)) = round(0.975) = 1: (x[19] - x[17]) / 2 = (20 - 18) / 2
    long[] sample = LongStream.rangeClosed(1, 20).map(i -> 21 - i).toArray();

    SampleQuantile p95 = SampleQuantile.of(sample, 0.95);

    assertThat(p95.valueNanos()).isEqualTo(19);
    assertThat(p95.standardErrorNanos()).isEqualTo(1.0);
    assertThat(sample[0]).as("input not sorted in place").isEqualTo(20);
  }

  @Test
  void p95OfHundredIsRank94() {
    // 1..100: rank floor(0.95 * 99) = floor(94.05) = 94 is the value 95.
    // k = round(sqrt(100 * 0.95 * 0.05)) = round(2.18) = 2: (x[96] - x[92]) / 2 = (97 - 93) / 2
    long[] sample = LongStream.rangeClosed(1, 100).toArray();

    SampleQuantile p95 = SampleQuantile.of(sample, 0.95);

    assertThat(p95.valueNanos()).isEqualTo(95);
    assertThat(p95.standardErrorNanos()).isEqualTo(2.0);
    assertThat(SampleQuantile.of(sample, 0).valueNanos()).isEqualTo(1);
    assertThat(SampleQuantile.of(sample, 1).valueNanos()).isEqualTo(100);
  }

  @Test
  void standardErrorIsClampedToTheSample() {
    // 3 samples, q = 1: rank 2, k = max(1, round(0)) = 1: ranks 1 and min(2, 3) = 2 -> (30 - 20) /
    // 2
    SampleQuantile max = SampleQuantile.of(new long[] {10, 20, 30}, 1);

    assertThat(max.valueNanos()).isEqualTo(30);
    assertThat(max.standardErrorNanos()).isEqualTo(5.0);
    assertThat(SampleQuantile.of(new long[] {7}, 0.95)).isEqualTo(new SampleQuantile(7, 0.0));
  }

  @Test
  void rejectsEmptySampleAndBadQuantile() {
    assertThatThrownBy(() -> SampleQuantile.of(new long[0], 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampleNanos");
    assertThatThrownBy(() -> SampleQuantile.of(new long[] {1}, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quantile");
  }
}
