package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyPanelTest {

    @Test
    void decadesAreLabelledInTheirUnit() {
        assertThat(LatencyPanel.nanosLabel(2)).isEqualTo("100 ns");
        assertThat(LatencyPanel.nanosLabel(3)).isEqualTo("1 µs");
        assertThat(LatencyPanel.nanosLabel(8)).isEqualTo("100 ms");
        assertThat(LatencyPanel.nanosLabel(10)).isEqualTo("10 s");
    }

    @Test
    void entryTicksAreRoundAndAtMostTen() {
        assertThat(LatencyPanel.entriesStep(1_000_000)).isEqualTo(100_000);
        assertThat(LatencyPanel.entriesStep(10_000_000)).isEqualTo(1_000_000);
        assertThat(LatencyPanel.entriesStep(1_500_000)).isEqualTo(200_000);
        assertThat(LatencyPanel.entriesStep(7)).isEqualTo(1);
    }

    @Test
    void entryCountsAreLabelledCompactly() {
        assertThat(LatencyPanel.entriesLabel(0)).isEqualTo("0");
        assertThat(LatencyPanel.entriesLabel(500)).isEqualTo("500");
        assertThat(LatencyPanel.entriesLabel(200_000)).isEqualTo("200k");
        assertThat(LatencyPanel.entriesLabel(1_000_000)).isEqualTo("1M");
        assertThat(LatencyPanel.entriesLabel(2_500_000)).isEqualTo("2.5M");
    }
}
