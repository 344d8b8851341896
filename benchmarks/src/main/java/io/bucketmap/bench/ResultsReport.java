package io.bucketmap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one run's raw results into the Markdown report {@code benchmarks/results/<date>.md}: a table per metric,
 * every contender with its ratios against Kafka's in-memory store and against {@code HashMap}, the issue's
 * targets checked, and the machine and JVM the numbers came from.
 *
 * <p>Reads, from the run directory: {@code jmh.csv} (JMH's CSV output of {@link StoreOperationsBenchmark}),
 * {@code growth.csv} ({@link GrowthLatency}), {@code heap.csv} ({@link RetainedHeap}) and {@code machine.md}
 * (written by {@code run.sh}, copied verbatim).
 *
 * <p>Usage: {@code ResultsReport <run directory> <report.md> <profile>}.
 */
public final class ResultsReport {
    private static final Contender IN_MEMORY = Contender.IN_MEMORY_STORE;
    private static final Contender HASHMAP = Contender.HASHMAP;
    private static final Map<String, String> OPERATIONS = Map.of(
            "getHit", "get, key present",
            "getMiss", "get, key absent",
            "putNew", "put of a new key",
            "update", "put of a new value for a present key",
            "delete", "delete of a present key");
    private static final List<String> OPERATION_ORDER = List.of("getHit", "getMiss", "putNew", "update", "delete");
    private static final List<Contender> BUCKET_MAPS = List.of(Contender.BUCKETMAP_ORDERED, Contender.BUCKETMAP_HASH);

    /** operation -> size -> contender -> score. */
    private final Map<String, Map<Integer, Map<Contender, Score>>> operations = new TreeMap<>();
    private final Map<Contender, Map<String, String>> growth = new EnumMap<>(Contender.class);
    private final Map<Contender, Map<String, String>> heap = new EnumMap<>(Contender.class);

    private record Score(double nanos, double error) {
    }

    private ResultsReport(Path runDir) {
        for (Map<String, String> row : CsvFile.read(runDir.resolve("jmh.csv"))) {
            String benchmark = row.get("Benchmark");
            String operation = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            operations.computeIfAbsent(operation, o -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(row.get("Param: size")), s -> new EnumMap<>(Contender.class))
                    .put(Contender.valueOf(row.get("Param: contender")),
                            new Score(Double.parseDouble(row.get("Score")),
                                    Double.parseDouble(row.get("Score Error (99.9%)"))));
        }
        for (Map<String, String> row : CsvFile.read(runDir.resolve("growth.csv"))) {
            growth.put(Contender.valueOf(row.get("contender")), row);
        }
        for (Map<String, String> row : CsvFile.read(runDir.resolve("heap.csv"))) {
            heap.put(Contender.valueOf(row.get("contender")), row);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: ResultsReport <run directory> <report.md> <profile>");
        }
        Path runDir = Path.of(args[0]);
        ResultsReport report = new ResultsReport(runDir);
        String machine = Files.readString(runDir.resolve("machine.md"), StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[1]), report.render(args[2], runDir, machine), StandardCharsets.UTF_8);
    }

    private String render(String profile, Path runDir, String machine) {
        StringBuilder out = new StringBuilder();
        out.append("# Benchmark results (").append(profile).append(" profile)\n\n")
                .append("Made by `benchmarks/run.sh ").append(profile).append("`; raw data in `")
                .append(runDir.getFileName()).append("/`. Contenders are measured one at a time, each in its own JVM,")
                .append(" on the same keys (`risk-event-0000123456`, 21 bytes) and values (64 to 256 bytes).\n\n");
        out.append(machine).append('\n');
        out.append(targets());
        out.append(operationTables());
        out.append(growthTable());
        out.append(growthChart(runDir));
        out.append(heapTable());
        return out.toString();
    }

    private String targets() {
        StringBuilder out = new StringBuilder("## Targets of issue 6 at 1M entries\n\n");
        List<String> header = new ArrayList<>(List.of("target"));
        BUCKET_MAPS.forEach(c -> header.add(c.label()));
        MarkdownTable table = new MarkdownTable(header);
        int size = 1_000_000;
        table.add(targetRow("get (hit) at least 4x faster than the in-memory store", 4, true,
                c -> speedup("getHit", size, c, IN_MEMORY)));
        table.add(targetRow("put of new keys at least 3x faster than the in-memory store", 3, true,
                c -> speedup("putNew", size, c, IN_MEMORY)));
        table.add(targetRow("get (hit) within 1.3x of HashMap's time", 1.3, false,
                c -> 1 / speedup("getHit", size, c, HASHMAP)));
        table.add(targetRow("put of new keys within 1.3x of HashMap's time", 1.3, false,
                c -> 1 / speedup("putNew", size, c, HASHMAP)));
        table.add(targetRow("retained overhead per entry at most 1/2 of the in-memory store's", 0.5, false,
                c -> overheadPerEntry(c) / overheadPerEntry(IN_MEMORY)));
        table.add(targetRow("worst put while growing (CPU time) at most 1/20 of HashMap's", 0.05, false,
                c -> growthValue(c, "cpu_max_ns") / growthValue(HASHMAP, "cpu_max_ns")));
        out.append(table).append('\n');
        out.append("Each cell is the measured ratio; \"met\" or \"missed\" compares it with the target. ")
                .append("Punctuator scan, range scan and restore targets are not measured yet.\n\n");
        return out.toString();
    }

    private interface Ratio {
        double of(Contender contender);
    }

    private List<String> targetRow(String target, double bound, boolean atLeast, Ratio ratio) {
        List<String> row = new ArrayList<>(List.of(target));
        for (Contender contender : BUCKET_MAPS) {
            double value = ratio.of(contender);
            if (Double.isNaN(value)) {
                row.add("not measured");
            } else {
                boolean met = atLeast ? value >= bound : value <= bound;
                row.add(String.format(Locale.ROOT, "%.2f (%s)", value, met ? "met" : "missed"));
            }
        }
        return row;
    }

    private String operationTables() {
        StringBuilder out = new StringBuilder("## Single operations, ns/op (JMH average time)\n\n")
                .append("`x in-mem`: how many times faster than Kafka's in-memory store (higher is better). ")
                .append("`/ HashMap`: this time divided by `HashMap<Bytes, byte[]>`'s (lower is better). ")
                .append("`±`: JMH's 99.9% confidence half-width.\n\n");
        for (String operation : OPERATION_ORDER) {
            Map<Integer, Map<Contender, Score>> bySize = operations.get(operation);
            if (bySize == null) {
                continue;
            }
            List<String> header = new ArrayList<>(List.of("contender"));
            for (int size : bySize.keySet()) {
                String label = sizeLabel(size);
                header.addAll(List.of(label + " ns/op", "±", label + " x in-mem", label + " / HashMap"));
            }
            MarkdownTable table = new MarkdownTable(header);
            for (Contender contender : Contender.values()) {
                List<String> row = new ArrayList<>(List.of(contender.label()));
                for (int size : bySize.keySet()) {
                    Score score = bySize.get(size).get(contender);
                    row.add(score == null ? "-" : nanos(score.nanos()));
                    row.add(score == null || Double.isNaN(score.error()) ? "-" : nanos(score.error()));
                    row.add(ratio(speedup(operation, size, contender, IN_MEMORY)));
                    row.add(ratio(1 / speedup(operation, size, contender, HASHMAP)));
                }
                table.add(row);
            }
            out.append("### ").append(OPERATIONS.get(operation)).append("\n\n").append(table).append('\n');
        }
        return out.toString();
    }

    private String growthTable() {
        MarkdownTable table = new MarkdownTable(List.of("contender", "puts", "worst put, wall µs",
                "p99.9 wall µs", "p99 wall µs", "worst put, CPU µs", "at entry", "p99.9 CPU µs",
                "worst CPU / HashMap", "GC pauses", "GC total ms", "longest GC ms"));
        for (Contender contender : growth.keySet()) {
            Map<String, String> row = growth.get(contender);
            table.add(List.of(contender.label(), row.get("entries"), micros(row.get("wall_max_ns")),
                    micros(row.get("wall_p99_9_ns")), micros(row.get("wall_p99_ns")), micros(row.get("cpu_max_ns")),
                    row.get("cpu_max_at"), micros(row.get("cpu_p99_9_ns")),
                    ratio(growthValue(contender, "cpu_max_ns") / growthValue(HASHMAP, "cpu_max_ns")),
                    row.get("gc_count"), row.get("gc_total_ms"), row.get("gc_longest_ms")));
        }
        return "## Single puts while growing from empty\n\n"
                + "Every put timed alone (`GrowthLatency`). Wall time is what the stream thread waits: it includes GC "
                + "pauses and time the OS gave the core to other processes. CPU time is the put's own work on its "
                + "thread (GC threads and waiting excluded; a few µs of measuring noise at the low percentiles). "
                + "GC pauses are those of the measured fill, from the GC MXBeans.\n\n"
                + table + '\n';
    }

    /**
     * A link to the chart that {@code run.sh} draws next to the report ({@code <run directory>-growth.png}, see
     * {@link GrowthChart}); nothing if that file is not there.
     */
    private static String growthChart(Path runDir) {
        String chart = runDir.getFileName() + "-growth.png";
        if (!Files.exists(runDir.resolveSibling(chart))) {
            return "";
        }
        return "The slowest put in each window of the fill, thread CPU time above and wall-clock time below "
                + "(log scale; rings: GC pauses):\n\n"
                + "![slowest put per window while growing, per contender](" + chart + ")\n\n";
    }

    private String heapTable() {
        MarkdownTable table = new MarkdownTable(List.of("contender", "entries", "retained B/entry",
                "key+value B/entry", "overhead B/entry", "overhead / in-mem", "overhead / HashMap",
                "after deleting 99%: retained MB", "B per remaining entry", "overhead per remaining entry"));
        for (Contender contender : heap.keySet()) {
            Map<String, String> row = heap.get(contender);
            double entries = Double.parseDouble(row.get("entries"));
            double remaining = Double.parseDouble(row.get("remaining_entries"));
            double afterDelete = Double.parseDouble(row.get("retained_after_delete_bytes"));
            double payloadAfter = Double.parseDouble(row.get("payload_after_delete_bytes"));
            table.add(List.of(contender.label(), row.get("entries"),
                    oneDecimal(Double.parseDouble(row.get("retained_bytes")) / entries),
                    oneDecimal(Double.parseDouble(row.get("payload_bytes")) / entries),
                    oneDecimal(overheadPerEntry(contender)),
                    ratio(overheadPerEntry(contender) / overheadPerEntry(IN_MEMORY)),
                    ratio(overheadPerEntry(contender) / overheadPerEntry(HASHMAP)),
                    oneDecimal(afterDelete / 1e6),
                    oneDecimal(afterDelete / remaining),
                    oneDecimal((afterDelete - payloadAfter) / remaining)));
        }
        return "## Retained heap\n\n"
                + "Used heap after repeated `System.gc()`, before and after putting fresh key and value arrays that "
                + "only the store references (`RetainedHeap`); key+value is those arrays' exact size (16-byte header, "
                + "8-byte alignment). Then 99% of the keys deleted. RocksDB is left out: its data lives off-heap.\n\n"
                + table + '\n';
    }

    /** How many times faster {@code contender} is than {@code baseline}; NaN if either was not measured. */
    private double speedup(String operation, int size, Contender contender, Contender baseline) {
        Map<Contender, Score> scores = operations.getOrDefault(operation, Map.of()).getOrDefault(size, Map.of());
        Score score = scores.get(contender);
        Score base = scores.get(baseline);
        return score == null || base == null ? Double.NaN : base.nanos() / score.nanos();
    }

    private double overheadPerEntry(Contender contender) {
        Map<String, String> row = heap.get(contender);
        if (row == null) {
            return Double.NaN;
        }
        return (Double.parseDouble(row.get("retained_bytes")) - Double.parseDouble(row.get("payload_bytes")))
                / Double.parseDouble(row.get("entries"));
    }

    private double growthValue(Contender contender, String column) {
        Map<String, String> row = growth.get(contender);
        return row == null ? Double.NaN : Double.parseDouble(row.get(column));
    }

    private static String sizeLabel(int size) {
        if (size % 1_000_000 == 0) {
            return size / 1_000_000 + "M";
        }
        return size % 1_000 == 0 ? size / 1_000 + "k" : Integer.toString(size);
    }

    private static String nanos(double nanos) {
        return String.format(Locale.ROOT, nanos < 100 ? "%.1f" : "%.0f", nanos);
    }

    private static String micros(String nanos) {
        return oneDecimal(Double.parseDouble(nanos) / 1_000);
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
