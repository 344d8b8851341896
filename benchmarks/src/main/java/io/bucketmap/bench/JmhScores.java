package io.bucketmap.bench;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scores of one JMH CSV result file ({@code -rf csv}) of a benchmark whose state has the {@code contender}
 * and {@code size} parameters ({@link FilledStore}), by benchmark method, size and contender. Scores are in the
 * benchmark's own output unit.
 */
final class JmhScores {
    /** A JMH score and its 99.9% confidence half-width (NaN when JMH could not compute one). */
    record Score(double value, double error) {
    }

    /** method -> size -> contender -> score. */
    private final Map<String, Map<Integer, Map<Contender, Score>>> scores = new TreeMap<>();

    private JmhScores() {
    }

    /** The scores in {@code file}; none if it does not exist (that part of the run was not made). */
    static JmhScores read(Path file) {
        JmhScores result = new JmhScores();
        for (Map<String, String> row : CsvFile.readIfPresent(file)) {
            String benchmark = row.get("Benchmark");
            result.scores.computeIfAbsent(benchmark.substring(benchmark.lastIndexOf('.') + 1), m -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(row.get("Param: size")), s -> new EnumMap<>(Contender.class))
                    .put(Contender.valueOf(row.get("Param: contender")),
                            new Score(Double.parseDouble(row.get("Score")),
                                    Double.parseDouble(row.get("Score Error (99.9%)"))));
        }
        return result;
    }

    /** Whether any score of {@code method} was read. */
    boolean has(String method) {
        return scores.containsKey(method);
    }

    /** The sizes {@code method} ran at, ascending. */
    Set<Integer> sizes(String method) {
        return scores.getOrDefault(method, Map.of()).keySet();
    }

    /** The contenders {@code method} has a score for, at any size, in declaration order. */
    Set<Contender> contenders(String method) {
        Set<Contender> measured = EnumSet.noneOf(Contender.class);
        scores.getOrDefault(method, Map.of()).values().forEach(bySize -> measured.addAll(bySize.keySet()));
        return measured;
    }

    /** The score of {@code method} for {@code contender} at {@code size}, or null if not measured. */
    Score score(String method, int size, Contender contender) {
        return scores.getOrDefault(method, Map.of()).getOrDefault(size, Map.of()).get(contender);
    }

    /** How many times faster {@code contender} is than {@code baseline} (scores are times); NaN if either is missing. */
    double speedup(String method, int size, Contender contender, Contender baseline) {
        Score score = score(method, size, contender);
        Score base = score(method, size, baseline);
        return score == null || base == null ? Double.NaN : base.value() / score.value();
    }
}
