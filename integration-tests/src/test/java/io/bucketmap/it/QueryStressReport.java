package io.bucketmap.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.IsolationLevel;

/**
 * What a {@link QueryStress} run did: per store and isolation level how many partition answers had each outcome, the
 * wrong answers, the stalled query threads and the deadlock the watchdog found. A child JVM hands it to its test as
 * {@code RESULT} lines of its output ({@link #resultLines}, read back by {@link #fromResultLines}), which lose nothing
 * the test asserts or prints. Not modified once made: safe to read from any thread.
 *
 * @param violations            the wrong answers, each starting with the name of the store that gave it and a space
 * @param stalls                per stalled query thread, its name and stack
 * @param deadlockedAfterMillis milliseconds of queries after which a deadlock was found (within a second); -1 if none
 * @param producedRecords       input records produced
 * @param seconds               seconds of queries
 * @param outcomes              store, then isolation level, then outcome: how many partition answers had that outcome
 */
record QueryStressReport(List<String> violations, List<String> stalls, long deadlockedAfterMillis,
                         long producedRecords, double seconds, Map<String, Map<String, Map<String, Long>>> outcomes) {
    static final String RESULT = "RESULT\t";

    QueryStressReport {
        violations = List.copyOf(violations);
        stalls = List.copyOf(stalls);
    }

    /** Partition answers of {@code store} at {@code isolation} whose outcome starts with {@code outcome}. */
    long count(String store, IsolationLevel isolation, String outcome) {
        return outcomes.getOrDefault(store, Map.of()).getOrDefault(isolation.toString(), Map.of()).entrySet()
            .stream().filter(entry -> entry.getKey().startsWith(outcome)).mapToLong(Map.Entry::getValue).sum();
    }

    /** The wrong answers {@code store} gave. */
    List<String> violationsOf(String store) {
        return violations.stream().filter(violation -> violation.startsWith(store + " ")).toList();
    }

    /** A table: per store and isolation level, answers checked and per second, refusals, other outcomes. */
    String table() {
        StringBuilder out = new StringBuilder(String.format(
            "%.1f s of queries, %d records produced, deadlock %s, stalled query threads %d, violations %d%n",
            seconds, producedRecords, deadlockedAfterMillis < 0 ? "none" : "after " + deadlockedAfterMillis
                + " ms", stalls.size(), violations.size()));
        out.append("| store | isolation | answers checked | per s | refused for a bound | other outcomes |\n");
        outcomes.forEach((store, byIsolation) -> byIsolation.forEach((isolation, byOutcome) -> {
            long answered = 0;
            long refused = 0;
            Map<String, Long> other = new TreeMap<>();
            for (Map.Entry<String, Long> outcome : byOutcome.entrySet()) {
                if (outcome.getKey().startsWith("answered")) {
                    answered += outcome.getValue();
                } else if (outcome.getKey().startsWith("NOT_UP_TO_BOUND")) {
                    refused += outcome.getValue();
                } else {
                    other.put(outcome.getKey(), outcome.getValue());
                }
            }
            out.append(String.format("| %s | %s | %d | %.0f | %d | %s |%n", store, isolation, answered,
                answered / seconds, refused, other.isEmpty() ? "" : other));
        }));
        violations.stream().limit(20).forEach(violation -> out.append("VIOLATION ").append(violation).append('\n'));
        return out.toString();
    }

    /**
     * This report as lines starting with {@value #RESULT} (tab-separated fields; tabs, line breaks and backslashes
     * inside a field escaped), one per outcome count, wrong answer and stall, and one for the run.
     */
    List<String> resultLines() {
        List<String> lines = new ArrayList<>();
        lines.add(line("run", Long.toString(deadlockedAfterMillis), Long.toString(producedRecords),
            Double.toString(seconds)));
        outcomes.forEach((store, byIsolation) -> byIsolation.forEach((isolation, byOutcome) -> byOutcome.forEach(
            (outcome, count) -> lines.add(line("count", store, isolation, outcome, Long.toString(count))))));
        violations.forEach(violation -> lines.add(line("violation", violation)));
        stalls.forEach(stall -> lines.add(line("stall", stall)));
        return lines;
    }

    /**
     * The report whose {@link #resultLines} are among {@code output} (other lines are skipped).
     *
     * @throws IllegalArgumentException if {@code output} holds no run line, or a result line of unknown kind
     */
    static QueryStressReport fromResultLines(List<String> output) {
        List<String> violations = new ArrayList<>();
        List<String> stalls = new ArrayList<>();
        Map<String, Map<String, Map<String, Long>>> outcomes = new TreeMap<>();
        String[] run = null;
        for (String line : output) {
            if (!line.startsWith(RESULT)) {
                continue;
            }
            String[] fields = line.substring(RESULT.length()).split("\t", -1);
            for (int i = 1; i < fields.length; i++) {
                fields[i] = unescape(fields[i]);
            }
            switch (fields[0]) {
                case "run" -> run = fields;
                case "count" -> outcomes.computeIfAbsent(fields[1], store -> new TreeMap<>())
                    .computeIfAbsent(fields[2], isolation -> new TreeMap<>()).put(fields[3], Long.parseLong(fields[4]));
                case "violation" -> violations.add(fields[1]);
                case "stall" -> stalls.add(fields[1]);
                default -> throw new IllegalArgumentException("not a line of a query stress report: " + line);
            }
        }
        if (run == null) {
            throw new IllegalArgumentException("no " + RESULT.trim() + " run line: the stress did not finish");
        }
        return new QueryStressReport(violations, stalls, Long.parseLong(run[1]), Long.parseLong(run[2]),
            Double.parseDouble(run[3]), outcomes);
    }

    private static String line(String kind, String... fields) {
        StringBuilder line = new StringBuilder(RESULT).append(kind);
        for (String field : fields) {
            line.append('\t').append(field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"));
        }
        return line.toString();
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
