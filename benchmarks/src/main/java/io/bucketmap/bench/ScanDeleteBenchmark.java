package io.bucketmap.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The punctuator workload of issue 6: one sweep over all {@code size} entries of a store, reading every value (as a
 * punctuator reads each entry's deadline, {@link ConsumedValues}) and deleting every {@value DeletedEntries#EVERY_NTH}th
 * entry seen while the iterator is open, as a punctuator expiring 10% of its entries does. Kafka's stores and the bucket-map stores go through {@code all()} and {@code delete}; the core maps
 * through their own iterator and delete; {@code HashMap} through {@code Iterator.remove()}.
 *
 * <p>Time per sweep; the report divides by {@code size} for the time per entry walked. The deleted entries are put
 * back after each sweep, unmeasured ({@link DeletedEntries}), so sweeps take milliseconds and per-invocation
 * set-up costs nothing measurable.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class ScanDeleteBenchmark {

    /** One sweep. @return entries walked */
    @Benchmark
    public int sweep(FilledStore filled, DeletedEntries deleted) {
        return filled.store.scanDeleting(DeletedEntries.EVERY_NTH, deleted);
    }
}
