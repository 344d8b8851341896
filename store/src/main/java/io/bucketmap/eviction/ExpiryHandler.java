package io.bucketmap.eviction;

/**
 * Receives each entry that {@link DeadlineTracker#expire} finds past its deadline, typically to forward a
 * timeout record downstream.
 *
 * @param <K> the id type
 * @param <V> the value type
 */
@FunctionalInterface
public interface ExpiryHandler<K, V> {

    /**
     * Called once per expired entry, before the entry is deleted. If this throws, the entry stays pending and
     * the exception propagates out of {@code expire} (under exactly-once the task's transaction aborts and the
     * entry is expired again after recovery). The handler may call {@link DeadlineTracker#track} for other ids.
     *
     * @param id       the entry's id
     * @param value    the value it was tracked with
     * @param deadline the deadline it was tracked with, at or before the {@code now} given to {@code expire}
     */
    void expired(K id, V value, long deadline);
}
