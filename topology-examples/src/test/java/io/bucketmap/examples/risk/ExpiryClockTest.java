package io.bucketmap.examples.risk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiryClockTest {

    @Test
    void eventTimeRefusesAnIdleFallbackThatIsNotPositive() {
        assertThatThrownBy(() -> ExpiryClock.eventTime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("idle fallback must be positive");
    }
}
