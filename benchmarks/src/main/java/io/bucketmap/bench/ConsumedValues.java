package io.bucketmap.bench;

/**
 * What every sweep and scan does with each value it walks: reads its first byte, as a punctuator reads the deadline at
 * the start of each value to decide whether the entry expired, and as any caller of a range deserializes what it gets.
 * A walk that never touches its values hides what their cache misses cost, and that cost depends on the order a store
 * walks in against the order its values lie in the heap ({@link WalkOrderCost}, 2026-11-28, 1M entries, hash-order
 * core map before its iterator read values ahead: 56.6 ns per entry without reading values, 213.4 with).
 */
final class ConsumedValues {
    /** The sum of the bytes read: a field, so the reads cannot be optimized away. One benchmark thread writes it. */
    private static long firstBytes;

    private ConsumedValues() {
    }

    static void read(byte[] value) {
        firstBytes += value[0];
    }
}
