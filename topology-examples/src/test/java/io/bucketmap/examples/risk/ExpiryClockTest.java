package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiryClockTest {

    @Test
    void eventTimeHasATaskWaitForASilentInputForHalfTheIdleFallback() {
        assertThat(ExpiryClock.eventTime(Duration.ofSeconds(5)).maxTaskIdle()).isEqualTo(Duration.ofMillis(2_500));
    }

    @Test
    void wallClockKeepsKafkasDefaultMaxTaskIdle() {
        assertThat(ExpiryClock.wallClock().maxTaskIdle()).isZero();
    }

    @Test
    void eventTimeRefusesAnIdleFallbackThatIsNotPositive() {
        assertThatThrownBy(() -> ExpiryClock.eventTime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("idle fallback must be positive");
    }
}
