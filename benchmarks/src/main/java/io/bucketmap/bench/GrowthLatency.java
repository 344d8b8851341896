package io.bucketmap.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Worst single put while a store grows from empty to N entries: the pause a {@code HashMap} takes when it
 * rehashes everything at once, against the bucket map's few buckets per write.
 *
 * <p>Each put is timed alone twice, into two {@link LatencyHistogram}s: wall-clock time ({@link System#nanoTime()},
 * what the stream thread waits, including GC pauses and time the OS gave the core to another process) and the
 * thread's CPU time (the work the put itself did: on a shared machine, the number that does not depend on the
 * neighbours, and that GC pauses do not inflate). GC pauses are reported separately. The JIT is warmed first on
 * a throwaway store of the same kind (to {@value #WARMUP_ENTRIES} entries), so compilation is not what is
 * measured. Keys and values are made fresh per put outside the timed window, event ids ascending.
 *
 * <p>Besides the summary row, the run is kept as a {@link GrowthTimeline} of {@value #TIMELINE_WINDOWS} windows (the
 * slowest put in each, and the GC pauses), written next to the results file as {@code growth-timeline-<contender>.csv}
 * for {@link GrowthChart}.
 *
 * <p>Usage: {@code GrowthLatency <contender> <entries> <results.csv>}; appends one row. Run one contender per JVM.
 */
public final class GrowthLatency {
    static final String HEADER = "contender,entries,wall_max_ns,wall_p99_9_ns,wall_p99_ns,cpu_max_ns,cpu_max_at,"
            + "cpu_p99_9_ns,gc_count,gc_total_ms,gc_longest_ms,seconds";
    private static final int WARMUP_ENTRIES = 200_000;
    /** Look for new GC pauses this often (puts): each look costs a few JMX reads. */
    private static final int GC_POLL_INTERVAL = 1024;
    /** About one point per two pixels of a chart's x axis. */
    private static final int TIMELINE_WINDOWS = 500;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int entries;
    private final LatencyHistogram wall = new LatencyHistogram();
    private final LatencyHistogram cpu = new LatencyHistogram();
    private final GcPauses gc = new GcPauses();
    private final GrowthTimeline timeline;
    private long cpuMaxAt;

    /** A run of {@code entries} puts; GC pauses count from here. */
    private GrowthLatency(int entries) {
        this.entries = entries;
        this.timeline = new GrowthTimeline(entries, TIMELINE_WINDOWS, gc::poll);
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: GrowthLatency <contender> <entries> <results.csv>");
        }
        Contender contender = Contender.valueOf(args[0]);
        int entries = Integer.parseInt(args[1]);
        Path results = Path.of(args[2]);

        try (BenchStore warmup = contender.open()) {
            new GrowthLatency(Math.min(entries, WARMUP_ENTRIES)).fill(warmup);
        }
        System.gc();

        GrowthLatency run = new GrowthLatency(entries);
        long started = System.nanoTime();
        try (BenchStore store = contender.open()) {
            run.fill(store);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        String row = String.join(",", contender.name(), Integer.toString(entries),
                Long.toString(run.wall.max()), Long.toString(run.wall.valueAtPercentile(99.9)),
                Long.toString(run.wall.valueAtPercentile(99)),
                Long.toString(run.cpu.max()), Long.toString(run.cpuMaxAt), Long.toString(run.cpu.valueAtPercentile(99.9)),
                Long.toString(run.gc.count()), Long.toString(run.gc.elapsedMillis()),
                Long.toString(run.gc.longestMillis()),
                String.format(Locale.ROOT, "%.1f", seconds));
        CsvFile.append(results, HEADER, row);
        run.timeline.write(GrowthTimeline.fileFor(results.toAbsolutePath().getParent(), contender));
        System.out.println(HEADER);
        System.out.println(row);
    }

    /** Puts events {@code 0..entries-1}, timing each. */
    private void fill(BenchStore store) {
        for (int i = 0; i < entries; i++) {
            byte[] key = RiskEvents.key(i);
            byte[] value = RiskEvents.value(i);
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            store.put(key, value);
            long wallNanos = System.nanoTime() - wallStart;
            long cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
            wall.record(wallNanos);
            if (cpuNanos > cpu.max()) {
                cpuMaxAt = i;
            }
            cpu.record(cpuNanos);
            if (i % GC_POLL_INTERVAL == 0) {
                timeline.pollGc();
            }
            timeline.recordPut(wallNanos, cpuNanos);
        }
    }
}
