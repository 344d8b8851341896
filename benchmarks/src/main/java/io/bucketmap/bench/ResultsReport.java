package io.bucketmap.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns one run's raw results into the Markdown report {@code benchmarks/results/<date>.md}: a table per metric,
 * every contender with its ratios against Kafka's in-memory store and against {@code HashMap}, the issue's
 * targets checked, and the machine and JVM the numbers came from.
 *
 * <p>Reads, from the run directory: {@code jmh.csv} (JMH's CSV output of {@link StoreOperationsBenchmark}),
 * {@code growth.csv} ({@link GrowthLatency}), {@code heap.csv} ({@link RetainedHeap}) and {@code machine.md}
 * (written by {@code run.sh}, copied verbatim); and, each section left out if its file is missing,
 * {@code jmh-scan-delete.csv} ({@link ScanDeleteBenchmark}), {@code jmh-range.csv} ({@link RangeScanBenchmark}),
 * {@code restore.csv} ({@link RestoreRate}) and {@code end-to-end.csv} ({@link EndToEndThroughput}).
 *
 * <p>Usage: {@code ResultsReport <run directory> <report.md> <profile>}.
 */
public final class ResultsReport {
    private static final Contender IN_MEMORY = Contender.IN_MEMORY_STORE;
    private static final Contender HASHMAP = Contender.HASHMAP;
    private static final Map<String, String> OPERATIONS = Map.of(
            "getHit", "get, key present",
            "getHitAndRead", "get, key present, the value's bytes then read (as a deserializer reads them)",
            "getMiss", "get, key absent",
            "putNew", "put of a new key",
            "update", "put of a new value for a present key",
            "delete", "delete of a present key");
    private static final List<String> OPERATION_ORDER = List.of("getHit", "getHitAndRead", "getMiss", "putNew", "update",
            "delete");
    /** The targets are judged on the store-level contenders first; the core maps show what the store layer costs. */
    private static final List<Contender> BUCKET_MAPS = List.of(Contender.BUCKETMAP_STORE_ORDERED,
            Contender.BUCKETMAP_STORE_HASH, Contender.BUCKETMAP_ORDERED, Contender.BUCKETMAP_HASH);
    private static final int TARGET_SIZE = 1_000_000;
    private static final String SWEEP = "sweep";
    private static final String RANGE = "range";
    private static final String PREFIX_SCAN = "prefixScan";

    private final JmhScores operations;
    private final Map<Contender, Map<String, String>> growth = new EnumMap<>(Contender.class);
    private final Map<Contender, Map<String, String>> heap = new EnumMap<>(Contender.class);
    private final JmhScores sweeps;
    private final JmhScores rangeScans;
    private final Map<Contender, Map<String, String>> restore = new EnumMap<>(Contender.class);
    /** contender -> eviction variant -> row. */
    private final Map<Contender, Map<String, Map<String, String>>> endToEnd = new EnumMap<>(Contender.class);

    private ResultsReport(Path runDir) {
        operations = JmhScores.read(runDir.resolve("jmh.csv"));
        for (Map<String, String> row : CsvFile.read(runDir.resolve("growth.csv"))) {
            growth.put(Contender.valueOf(row.get("contender")), row);
        }
        for (Map<String, String> row : CsvFile.read(runDir.resolve("heap.csv"))) {
            heap.put(Contender.valueOf(row.get("contender")), row);
        }
        sweeps = JmhScores.read(runDir.resolve("jmh-scan-delete.csv"));
        rangeScans = JmhScores.read(runDir.resolve("jmh-range.csv"));
        for (Map<String, String> row : CsvFile.readIfPresent(runDir.resolve("restore.csv"))) {
            restore.put(Contender.valueOf(row.get("contender")), row);
        }
        for (Map<String, String> row : CsvFile.readIfPresent(runDir.resolve("end-to-end.csv"))) {
            endToEnd.computeIfAbsent(Contender.valueOf(row.get("contender")), c -> new TreeMap<>())
                    .put(row.get("variant"), row);
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
        out.append(sweepTable());
        out.append(rangeScanTable());
        out.append(restoreTable());
        out.append(endToEndTable());
        return out.toString();
    }

    private String targets() {
        StringBuilder out = new StringBuilder("## Targets of issue 6 at 1M entries\n\n");
        List<String> header = new ArrayList<>(List.of("target"));
        BUCKET_MAPS.forEach(c -> header.add(c.label()));
        MarkdownTable table = new MarkdownTable(header);
        table.add(targetRow("get (hit) at least 4x faster than the in-memory store", 4, true,
                c -> operations.speedup("getHit", TARGET_SIZE, c, IN_MEMORY)));
        table.add(targetRow("put of new keys at least 3x faster than the in-memory store", 3, true,
                c -> operations.speedup("putNew", TARGET_SIZE, c, IN_MEMORY)));
        table.add(targetRow("get (hit) within 1.3x of HashMap's time", 1.3, false,
                c -> 1 / operations.speedup("getHit", TARGET_SIZE, c, HASHMAP)));
        table.add(targetRow("put of new keys within 1.3x of HashMap's time", 1.3, false,
                c -> 1 / operations.speedup("putNew", TARGET_SIZE, c, HASHMAP)));
        table.add(targetRow("retained overhead per entry at most 1/2 of the in-memory store's", 0.5, false,
                c -> overheadPerEntry(c) / overheadPerEntry(IN_MEMORY)));
        table.add(targetRow("worst put while growing (CPU time) at most 1/20 of HashMap's", 0.05, false,
                c -> growthValue(c, "cpu_max_ns") / growthValue(HASHMAP, "cpu_max_ns")));
        workloadTargetRows().forEach(table::add);
        out.append(table).append('\n');
        out.append("Each cell is the measured ratio; \"met\" or \"missed\" compares it with the target; ")
                .append("\"-\": not measured, or not applicable (the core maps have no changelog to restore from). ")
                .append("The targets against the in-memory store are judged on the two store-level columns: ")
                .append("`BucketMapStores.keyValueStore` and `hashOrderKeyValueStore` are called exactly like Kafka's ")
                .append("stores, through `KeyValueStore<Bytes, byte[]>` with a `Bytes` wrapper per call. The core-map ")
                .append("columns, the bare `BucketMap` called with the arrays as they come, show what the store layer ")
                .append("costs. The hash-order store walks the whole store for a range scan (O(n)): range workloads ")
                .append("belong on the ordered store, and the range target is judged on it.\n\n");
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
                row.add("-");
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
            if (!operations.has(operation)) {
                continue;
            }
            List<String> header = new ArrayList<>(List.of("contender"));
            for (int size : operations.sizes(operation)) {
                String label = sizeLabel(size);
                header.addAll(List.of(label + " ns/op", "±", label + " x in-mem", label + " / HashMap"));
            }
            MarkdownTable table = new MarkdownTable(header);
            for (Contender contender : Contender.values()) {
                List<String> row = new ArrayList<>(List.of(contender.label()));
                for (int size : operations.sizes(operation)) {
                    JmhScores.Score score = operations.score(operation, size, contender);
                    row.add(score == null ? "-" : nanos(score.value()));
                    row.add(score == null || Double.isNaN(score.error()) ? "-" : nanos(score.error()));
                    row.add(ratio(operations.speedup(operation, size, contender, IN_MEMORY)));
                    row.add(ratio(1 / operations.speedup(operation, size, contender, HASHMAP)));
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

    private List<List<String>> workloadTargetRows() {
        return List.of(
                targetRow("punctuator sweep (scan all, delete 10%) at least 5x faster than the in-memory store", 5,
                        true, c -> sweeps.speedup(SWEEP, TARGET_SIZE, c, IN_MEMORY)),
                targetRow("range scan of 1,000 keys at least 3x faster than the in-memory store", 3, true,
                        c -> rangeScans.speedup(RANGE, TARGET_SIZE, c, IN_MEMORY)),
                targetRow("changelog restore at least 3x the in-memory store's records/s", 3, true,
                        c -> restoreRate(c) / restoreRate(IN_MEMORY)));
    }

    private String sweepTable() {
        if (!sweeps.has(SWEEP)) {
            return "";
        }
        List<String> header = new ArrayList<>(List.of("contender"));
        for (int size : sweeps.sizes(SWEEP)) {
            String label = sizeLabel(size);
            header.addAll(List.of(label + " ms/sweep", "±", label + " ns/entry", label + " x in-mem",
                    label + " / HashMap"));
        }
        MarkdownTable table = new MarkdownTable(header);
        for (Contender contender : sweeps.contenders(SWEEP)) {
            List<String> row = new ArrayList<>(List.of(contender.label()));
            for (int size : sweeps.sizes(SWEEP)) {
                JmhScores.Score score = sweeps.score(SWEEP, size, contender);
                row.add(score == null ? "-" : threeDigits(score.value()));
                row.add(score == null || Double.isNaN(score.error()) ? "-" : threeDigits(score.error()));
                row.add(score == null ? "-" : nanos(score.value() * 1e6 / size));
                row.add(ratio(sweeps.speedup(SWEEP, size, contender, IN_MEMORY)));
                row.add(ratio(1 / sweeps.speedup(SWEEP, size, contender, HASHMAP)));
            }
            table.add(row);
        }
        return "## Punctuator sweep: scan everything, delete 10% on the way\n\n"
                + "`ScanDeleteBenchmark`: one walk over every entry, reading each value's first byte (as a punctuator "
                + "reads each deadline) and deleting every " + DeletedEntries.EVERY_NTH
                + "th entry seen while the iterator is open, as a punctuator that expires a tenth of its entries "
                + "does; the deleted entries are put back after each sweep, unmeasured. Kafka's stores and the "
                + "bucket-map stores go through `all()` and `delete`, the core maps through their own iterator, "
                + "`HashMap` through `Iterator.remove()`. JMH average time per sweep; ns/entry is that time divided "
                + "by the entries walked. Kafka's in-memory store copies its whole key set into a new `TreeSet` "
                + "for every iterator.\n\n"
                + table + '\n';
    }

    private String rangeScanTable() {
        if (!rangeScans.has(RANGE) && !rangeScans.has(PREFIX_SCAN)) {
            return "";
        }
        List<String> header = new ArrayList<>(List.of("contender"));
        Set<Integer> sizes = new TreeSet<>(rangeScans.sizes(RANGE));
        sizes.addAll(rangeScans.sizes(PREFIX_SCAN));
        for (int size : sizes) {
            String label = sizeLabel(size);
            header.addAll(List.of(label + " range µs", "±", label + " range x in-mem",
                    label + " prefix µs", "±", label + " prefix x in-mem"));
        }
        MarkdownTable table = new MarkdownTable(header);
        Set<Contender> contenders = EnumSet.noneOf(Contender.class);
        contenders.addAll(rangeScans.contenders(RANGE));
        contenders.addAll(rangeScans.contenders(PREFIX_SCAN));
        for (Contender contender : contenders) {
            List<String> row = new ArrayList<>(List.of(contender.label()));
            for (int size : sizes) {
                for (String method : List.of(RANGE, PREFIX_SCAN)) {
                    JmhScores.Score score = rangeScans.score(method, size, contender);
                    row.add(score == null ? "-" : threeDigits(score.value()));
                    row.add(score == null || Double.isNaN(score.error()) ? "-" : threeDigits(score.error()));
                    row.add(ratio(rangeScans.speedup(method, size, contender, IN_MEMORY)));
                }
            }
            table.add(row);
        }
        return "## Range and prefix scans\n\n"
                + "`RangeScanBenchmark`, JMH average time per scan (open the iterator, walk every entry reading its "
                + "value's first byte, close it): "
                + "a range of " + String.format(Locale.ROOT, "%,d", ScanBounds.RANGE_KEYS) + " consecutive stored "
                + "keys from a random start, and a random prefix that leaves the last three digits of the id free (`risk-event-0001234`), "
                + "which matches " + ScanBounds.PREFIX_KEYS + " stored keys (only even ids are stored). "
                + "`HashMap` has no key order and so no ranges: n/a. The hash-order store answers both by "
                + "walking the whole store (O(n), allowed by Kafka's contract for that store), so a range costs it "
                + "about one sweep of the table above; the quick profile leaves it out, the full profile measures "
                + "it to show that cost, not as a choice for range workloads.\n\n"
                + table + '\n';
    }

    private String restoreTable() {
        if (restore.isEmpty()) {
            return "";
        }
        MarkdownTable table = new MarkdownTable(List.of("contender", "records", "of them tombstones",
                "records/s (median)", "slowest round", "fastest round", "x in-mem"));
        for (Contender contender : restore.keySet()) {
            Map<String, String> row = restore.get(contender);
            double records = Double.parseDouble(row.get("records"));
            table.add(List.of(contender.label(), wholeNumber(records),
                    wholeNumber(Double.parseDouble(row.get("tombstones"))),
                    wholeNumber(restoreRate(contender)),
                    wholeNumber(records * 1000 / Double.parseDouble(row.get("max_ms"))),
                    wholeNumber(records * 1000 / Double.parseDouble(row.get("min_ms"))),
                    ratio(restoreRate(contender) / restoreRate(IN_MEMORY))));
        }
        return "## Changelog restore\n\n"
                + "`RestoreRate`: records per second through the restore callback each store registers on `init`, "
                + "fed as Kafka's state updater feeds it, in batches of "
                + String.format(Locale.ROOT, "%,d", RestoreRate.BATCH_SIZE) + " raw changelog "
                + "records (`ConsumerRecord<byte[], byte[]>`, made before timing). 90% of the records put a new key "
                + "(21-byte keys, 64-256-byte values), 10% are tombstones for a key put shortly before. Median of "
                + "the rounds, each into a fresh store after a JIT warm-up; one JVM per contender.\n\n"
                + table + '\n';
    }

    private String endToEndTable() {
        if (endToEnd.isEmpty()) {
            return "";
        }
        Set<String> variants = new TreeSet<>();
        endToEnd.values().forEach(byVariant -> variants.addAll(byVariant.keySet()));
        List<String> header = new ArrayList<>(List.of("contender"));
        for (String variant : variants) {
            header.addAll(List.of(variant + " events/s", variant + " x in-mem"));
        }
        MarkdownTable table = new MarkdownTable(header);
        for (Contender contender : endToEnd.keySet()) {
            List<String> row = new ArrayList<>(List.of(contender.label()));
            for (String variant : variants) {
                row.add(wholeNumber(eventsPerSecond(contender, variant)));
                row.add(ratio(eventsPerSecond(contender, variant) / eventsPerSecond(IN_MEMORY, variant)));
            }
            table.add(row);
        }
        double events = Double.parseDouble(endToEnd.values().iterator().next().values().iterator().next().get("events"));
        return "## End to end: the risk-event topology in TopologyTestDriver\n\n"
                + "`EndToEndThroughput`: " + wholeNumber(events) + " events through `RiskTopology` (changelogging on), every "
                + "store of the topology made by the contender (a hash-order contender keeps the `DEADLINE_INDEX` "
                + "variant's deadline index in the ordered bucket-map store, as the index is read by range). One "
                + "event per simulated ms, 80% decided after up to 45 s, 30 s timeout (about 30,000 pending), "
                + "wall-clock punctuation every simulated second; `STORE_SCAN` sweeps the pending store each time, "
                + "`DEADLINE_INDEX` reads only the expired entries of its index. Timed: piping the serialized "
                + "records, the punctuations and reading the captured output; one JVM per contender and variant, "
                + "after a warm-up run. The driver's own costs (it compiles a topic-name regex per piped record, "
                + "captures every changelog record) and the JSON work are in every number, so store differences "
                + "show diluted here.\n\n"
                + table + '\n';
    }

    private double restoreRate(Contender contender) {
        Map<String, String> row = restore.get(contender);
        return row == null ? Double.NaN
                : Double.parseDouble(row.get("records")) * 1000 / Double.parseDouble(row.get("median_ms"));
    }

    private double eventsPerSecond(Contender contender, String variant) {
        Map<String, String> row = endToEnd.getOrDefault(contender, Map.of()).get(variant);
        return row == null ? Double.NaN : Double.parseDouble(row.get("events")) / Double.parseDouble(row.get("seconds"));
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

    /** Three significant digits for values from 0.001 up, all integer digits above 100. */
    private static String threeDigits(double value) {
        String format = value < 1 ? "%.3f" : value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, format, value);
    }

    private static String wholeNumber(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
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
