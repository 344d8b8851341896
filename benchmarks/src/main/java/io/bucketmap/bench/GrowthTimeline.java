package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A growth run as a time series, for {@link GrowthChart}: the puts are cut into consecutive windows of equal size
 * (the last one may be shorter), and each window keeps its slowest put by wall-clock time and, separately, by
 * thread CPU time, the entry count at its end, and the longest GC pause that ended in it. Keeping the maximum,
 * not a mean, is what makes one long put (a {@code HashMap} rehash) one tall point however many puts a window holds.
 *
 * <p>The number of windows is fixed by the caller, not the window size, so a chart is as dense at 1M entries as at
 * 10M. GC pauses are attributed correctly because the timeline polls the collectors itself at the end of every
 * window: a pause reported by a poll inside a window ended after that window began.
 *
 * <p>Recording is a few comparisons into arrays allocated up front: nothing is allocated between timed puts.
 * Not thread-safe.
 */
final class GrowthTimeline {
    static final String HEADER = "entries,wall_max_ns,cpu_max_ns,gc_longest_ms";
    private static final String FILE_PREFIX = "growth-timeline-";

    private final int entries;
    private final int windowSize;
    private final LongSupplier gcPauseSinceLastCall;
    private final long[] entriesAtEnd;
    private final long[] wallMax;
    private final long[] cpuMax;
    private final long[] gcLongest;
    private int puts;

    /**
     * A timeline of {@code entries} puts in about {@code windows} windows ({@code ceil(entries / windows)} puts each).
     *
     * @param gcPauseSinceLastCall the longest GC pause in milliseconds since its previous call, 0 if none
     *                             ({@link GcPauses#poll()})
     * @throws IllegalArgumentException unless both counts are positive
     */
    GrowthTimeline(int entries, int windows, LongSupplier gcPauseSinceLastCall) {
        if (entries < 1 || windows < 1) {
            throw new IllegalArgumentException("entries and windows must be positive: " + entries + ", " + windows);
        }
        this.entries = entries;
        this.windowSize = (int) ((entries + (long) windows - 1) / windows);
        this.gcPauseSinceLastCall = gcPauseSinceLastCall;
        int windowCount = (entries + windowSize - 1) / windowSize;
        entriesAtEnd = new long[windowCount];
        wallMax = new long[windowCount];
        cpuMax = new long[windowCount];
        gcLongest = new long[windowCount];
    }

    /** The file a run directory holds {@code contender}'s timeline in. */
    static Path fileFor(Path runDir, Contender contender) {
        return runDir.resolve(FILE_PREFIX + contender.name() + ".csv");
    }

    /** How many puts a window holds (the last one possibly fewer). */
    int windowSize() {
        return windowSize;
    }

    /**
     * Counts one put in the current window; the put that fills a window closes it, after a GC poll.
     *
     * @throws IllegalStateException if all {@code entries} puts were recorded already
     */
    void recordPut(long wallNanos, long cpuNanos) {
        if (puts == entries) {
            throw new IllegalStateException("all " + entries + " puts were recorded already");
        }
        int window = puts / windowSize;
        wallMax[window] = Math.max(wallMax[window], wallNanos);
        cpuMax[window] = Math.max(cpuMax[window], cpuNanos);
        puts++;
        if (puts % windowSize == 0 || puts == entries) {
            gcLongest[window] = Math.max(gcLongest[window], gcPauseSinceLastCall.getAsLong());
            entriesAtEnd[window] = puts;
        }
    }

    /**
     * Polls for GC pauses between window ends and charges the longest to the window the next put falls in (the
     * one under way, or the next one if the last put closed a window); after the last put there is none to charge.
     */
    void pollGc() {
        long pause = gcPauseSinceLastCall.getAsLong();
        if (puts < entries) {
            int window = puts / windowSize;
            gcLongest[window] = Math.max(gcLongest[window], pause);
        }
    }

    /** Writes the closed windows, one row each, to {@code file} (replacing it), under {@link #HEADER}. */
    void write(Path file) {
        List<String> rows = new ArrayList<>();
        for (int window = 0; window < entriesAtEnd.length && entriesAtEnd[window] > 0; window++) {
            rows.add(entriesAtEnd[window] + "," + wallMax[window] + "," + cpuMax[window] + "," + gcLongest[window]);
        }
        CsvFile.write(file, HEADER, rows);
    }
}
