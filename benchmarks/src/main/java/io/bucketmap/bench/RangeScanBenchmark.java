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
 * Range and prefix scans, item 5 of issue 6: {@value ScanBounds#RANGE_KEYS} consecutive keys from a random start,
 * and a random prefix matching {@value ScanBounds#PREFIX_KEYS} keys ({@link ScanBounds}); each op opens the iterator,
 * walks every entry, reading each value ({@link ConsumedValues}), and closes it. For contenders with key ranges
 * only: {@code HashMap} has none and fails the trial. A hash-order store answers both scans by walking the whole store
 * (O(n)).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class RangeScanBenchmark {

    /** {@code range(from, to)} over {@value ScanBounds#RANGE_KEYS} stored keys. @return entries walked */
    @Benchmark
    public int range(FilledStore filled, ScanBounds bounds) {
        int index = bounds.next();
        return filled.store.range(bounds.from[index], bounds.to[index]);
    }

    /** {@code prefixScan(prefix)} matching {@value ScanBounds#PREFIX_KEYS} stored keys. @return entries walked */
    @Benchmark
    public int prefixScan(FilledStore filled, ScanBounds bounds) {
        return filled.store.prefixScan(bounds.prefixes[bounds.next()]);
    }
}
