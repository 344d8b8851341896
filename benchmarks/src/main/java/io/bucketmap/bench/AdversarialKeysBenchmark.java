package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Crafted binary keys against random keys of the same length, on both core map variants: puts of {@code size} new
 * keys into an empty map, and lookups of present keys. The crafted keys are random except for one fixed 8-byte word,
 * the one that zeroed a product of the map's former, unkeyed hash (wyhash's third default constant at the first
 * word of the last 16 bytes): under that hash every such key hashed to the same value whatever the seed, and 20,000 of
 * them made puts ~300x slower. What a binary serde emits for a record with one constant long field looks the same.
 * The goal (issue 13): crafted keys cost at most twice what random keys cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class AdversarialKeysBenchmark {
    private static final int KEY_LENGTH = 24;
    private static final long FIXED_WORD = 0x8ebc6af09c88c6e3L;

    /** How the keys are made. */
    public enum Keys { RANDOM, FIXED_WORD }

    @Param({"RANDOM", "FIXED_WORD"})
    public Keys keys;

    @Param({"true", "false"})
    public boolean ordered;

    /** Fixed: {@link #putNew} divides by it. */
    private final int size = 100_000;

    private byte[][] storedKeys;
    private byte[][] lookupKeys;
    private byte[] value;
    private BucketMap filled;
    private int cursor;

    @Setup(Level.Trial)
    public void makeKeys() {
        SplittableRandom random = new SplittableRandom(13);
        storedKeys = new byte[size][];
        lookupKeys = new byte[size][];
        for (int i = 0; i < size; i++) {
            byte[] key = new byte[KEY_LENGTH];
            random.nextBytes(key);
            if (keys == Keys.FIXED_WORD) {
                ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(KEY_LENGTH - 16, FIXED_WORD);
            }
            storedKeys[i] = key;
            lookupKeys[(int) ((i * 0x9E3779B1L) % size)] = key.clone();
        }
        value = new byte[64];
        filled = fill();
    }

    /** Puts of {@code size} new keys into an empty map, growth included: the time per put. */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public BucketMap putNew() {
        return fill();
    }

    /** A lookup of a present key (a copy of it, as a deserialized key would be). */
    @Benchmark
    public byte[] getHit() {
        byte[] key = lookupKeys[cursor];
        cursor = cursor + 1 == size ? 0 : cursor + 1;
        return filled.get(key);
    }

    private BucketMap fill() {
        BucketMap map = ordered ? BucketMap.ordered() : BucketMap.hashOrdered();
        for (byte[] key : storedKeys) {
            map.put(key, value);
        }
        return map;
    }
}
