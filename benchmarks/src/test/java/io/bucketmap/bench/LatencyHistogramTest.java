package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void anEmptyHistogramReportsZero() {
        LatencyHistogram histogram = new LatencyHistogram();

        assertThat(histogram.count()).isZero();
        assertThat(histogram.max()).isZero();
        assertThat(histogram.valueAtPercentile(99.9)).isZero();
    }

    @Test
    void smallValuesAreCountedExactly() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value = 0; value < 32; value++) {
            histogram.record(value);
        }

        assertThat(histogram.valueAtPercentile(50)).isEqualTo(15);
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(31);
    }

    @Test
    void percentilesOfLargeValuesAreAtMostOneSixteenthHigh() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long value = 1; value <= 1_000_000; value++) {
            histogram.record(value * 100);
        }

        assertThat(histogram.valueAtPercentile(50)).isBetween(50_000_000L, 50_000_000L * 17 / 16);
        assertThat(histogram.valueAtPercentile(99.9)).isBetween(99_900_000L, 99_900_000L * 17 / 16);
    }

    @Test
    void theMaximumIsExactAndBoundsEveryPercentile() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000);
        histogram.record(123_456_789);

        assertThat(histogram.max()).isEqualTo(123_456_789);
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(123_456_789);
        assertThat(histogram.valueAtPercentile(50)).isBetween(1_000L, 1_000L * 17 / 16);
    }

    @Test
    void theLargestLongFitsInTheLastBucket() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(Long.MAX_VALUE);

        assertThat(histogram.valueAtPercentile(100)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void negativeDurationsAreRejected() {
        assertThatThrownBy(() -> new LatencyHistogram().record(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
