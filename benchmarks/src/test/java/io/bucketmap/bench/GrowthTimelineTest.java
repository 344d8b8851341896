package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowthTimelineTest {
    @TempDir
    Path dir;

    /** GC pauses the test announces; each poll takes the pending one. */
    private long pendingGcMillis;

    private GrowthTimeline timeline(int entries, int windows) {
        return new GrowthTimeline(entries, windows, () -> {
            long pause = pendingGcMillis;
            pendingGcMillis = 0;
            return pause;
        });
    }

    private List<Map<String, String>> written(GrowthTimeline timeline) {
        Path file = GrowthTimeline.fileFor(dir, Contender.HASHMAP);
        timeline.write(file);
        return CsvFile.read(file);
    }

    private static List<String> column(List<Map<String, String>> rows, String name) {
        return rows.stream().map(row -> row.get(name)).toList();
    }

    @Test
    void eachWindowKeepsItsSlowestPutByWallAndByCpuSeparately() {
        GrowthTimeline timeline = timeline(6, 2);
        timeline.recordPut(10, 300);
        timeline.recordPut(500, 20);
        timeline.recordPut(40, 30);
        timeline.recordPut(7, 8);
        timeline.recordPut(9_000_000, 6_000_000);
        timeline.recordPut(1, 1);

        List<Map<String, String>> rows = written(timeline);

        assertThat(column(rows, "entries")).containsExactly("3", "6");
        assertThat(column(rows, "wall_max_ns")).containsExactly("500", "9000000");
        assertThat(column(rows, "cpu_max_ns")).containsExactly("300", "6000000");
    }

    @Test
    void aRunIsCutIntoAboutTheRequestedNumberOfWindowsTheLastOneShorter() {
        GrowthTimeline timeline = timeline(1001, 500);
        for (int i = 0; i < 1001; i++) {
            timeline.recordPut(i, i);
        }

        List<Map<String, String>> rows = written(timeline);

        assertThat(timeline.windowSize()).isEqualTo(3);
        assertThat(rows).hasSize(334);
        assertThat(rows.get(0).get("entries")).isEqualTo("3");
        assertThat(rows.get(333)).containsEntry("entries", "1001").containsEntry("wall_max_ns", "1000");
    }

    @Test
    void onlyClosedWindowsAreWritten() {
        GrowthTimeline timeline = timeline(10, 5);
        timeline.recordPut(1, 1);
        timeline.recordPut(1, 1);
        timeline.recordPut(1, 1);

        assertThat(column(written(timeline), "entries")).containsExactly("2");
    }

    @Test
    void aGcPauseIsChargedToTheWindowItEndedIn() {
        GrowthTimeline timeline = timeline(6, 3);
        timeline.recordPut(1, 1);
        pendingGcMillis = 7;
        timeline.pollGc();
        timeline.recordPut(1, 1);
        pendingGcMillis = 9;
        timeline.recordPut(1, 1);
        timeline.recordPut(1, 1);
        pendingGcMillis = 5;
        timeline.pollGc();
        timeline.recordPut(1, 1);
        timeline.recordPut(1, 1);
        pendingGcMillis = 3;
        timeline.pollGc();

        assertThat(column(written(timeline), "gc_longest_ms")).containsExactly("7", "9", "5");
    }

    @Test
    void recordingMorePutsThanAnnouncedFails() {
        GrowthTimeline timeline = timeline(1, 1);
        timeline.recordPut(1, 1);

        assertThatThrownBy(() -> timeline.recordPut(1, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyRunIsRejected() {
        assertThatThrownBy(() -> timeline(0, 500)).isInstanceOf(IllegalArgumentException.class);
    }
}
