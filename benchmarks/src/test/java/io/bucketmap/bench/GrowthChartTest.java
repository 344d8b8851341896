package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowthChartTest {
    @TempDir
    Path runDir;

    private void timeline(Contender contender, long spikeNanos, long gcMillis) {
        GrowthTimeline timeline = new GrowthTimeline(100, 10, () -> gcMillis);
        for (int i = 0; i < 100; i++) {
            timeline.recordPut(i == 70 ? spikeNanos : 2_000, 1_500);
        }
        timeline.write(GrowthTimeline.fileFor(runDir, contender));
    }

    @Test
    void drawsAPngOfTheChartSizeFromTheTimelinesOfARun() throws Exception {
        timeline(Contender.BUCKETMAP_ORDERED, 30_000, 0);
        timeline(Contender.HASHMAP, 40_000_000, 12);
        Path png = runDir.resolve("chart.png");

        GrowthChart.write(runDir, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(GrowthChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(GrowthChart.HEIGHT);
    }

    @Test
    void aRunWithoutTimelinesIsRejectedWithItsDirectoryNamed() {
        assertThatThrownBy(() -> GrowthChart.write(runDir, runDir.resolve("chart.png")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(runDir.toString());
    }

    @Test
    void durationsAreShownInTheirLargestWholeUnit() {
        assertThat(GrowthChart.duration(850)).isEqualTo("850 ns");
        assertThat(GrowthChart.duration(172_934)).isEqualTo("172.9 µs");
        assertThat(GrowthChart.duration(49_243_287)).isEqualTo("49.2 ms");
    }
}
