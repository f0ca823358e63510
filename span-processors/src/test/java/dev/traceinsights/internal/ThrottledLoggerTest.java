package dev.traceinsights.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottledLoggerTest {

  private final Logger logger = Logger.getLogger("throttled-logger-test");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  {
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
  }

  @AfterEach
  void removeHandler() {
    logger.removeHandler(handler);
  }

  @Test
  void aRecurringFaultKeepsSurfacingAtTheRateAllowed() {
    TestClock clock = TestClock.create();
    ThrottledLogger throttled = ThrottledLogger.of(logger, clock, 3);
    RuntimeException fault = new IllegalStateException("boom");

    for (int i = 0; i < 10; i++) {
      throttled.log(Level.WARNING, "failed " + i, fault);
    }
    assertThat(records)
        .extracting(LogRecord::getMessage)
        .containsExactly("failed 0", "failed 1", "failed 2");
    assertThat(records.get(0).getThrown()).isSameAs(fault);
    assertThat(throttled.suppressed()).isEqualTo(7);

    // A minute later the fault surfaces again, saying how many were held back.
    clock.advance(Duration.ofMinutes(1));
    throttled.log(Level.WARNING, "failed 10", fault);
    assertThat(records)
        .last()
        .extracting(LogRecord::getMessage)
        .isEqualTo("failed 10 (7 more like it since the last one logged were not logged)");
    assertThat(throttled.suppressed()).isZero();

    // Within that minute, again at most three.
    for (int i = 11; i < 20; i++) {
      throttled.log(Level.WARNING, "failed " + i, fault);
    }
    assertThat(records).hasSize(6);
  }

  @Test
  void perMinuteMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ThrottledLogger.of(logger, TestClock.create(), 0))
        .hasMessage("perMinute must be positive");
  }
}
