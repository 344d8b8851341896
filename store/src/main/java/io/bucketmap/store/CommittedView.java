package io.bucketmap.store;

import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Objects;

/**
 * The {@code READ_COMMITTED} view of a transactional in-memory bucket-map store
 * ({@code store.readOnly(IsolationLevel.READ_COMMITTED)}): what the store held at its last commit, as Kafka's
 * {@code InMemoryKeyValueStore} answers such reads from its committed map and skips its transaction buffer. IQv1
 * reaches it when {@code default.interactive.query.isolation.level} is {@code READ_COMMITTED}, IQv2 when the request
 * asks for that isolation level.
 *
 * <p>Costs: {@code get} as the store's plus one hash lookup; iterators as {@link CommittedViewIterator}. Any thread;
 * each answer is a value committed at some moment during the call (a commit may land meanwhile). Failures: those of
 * the store (closed store: {@code InvalidStateStoreException}; null key: {@link NullPointerException}).
 */
final class CommittedView implements ReadOnlyKeyValueStore<Bytes, byte[]> {
    private final BucketMapKeyValueStore store;
    private final UncommittedWrites uncommitted;

    CommittedView(BucketMapKeyValueStore store, UncommittedWrites uncommitted) {
        this.store = store;
        this.uncommitted = uncommitted;
    }

    @Override
    public byte[] get(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        byte[] current = store.get(key);
        return uncommitted.committedValue(key.get(), current);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return committed(store.range(from, to), KeyRange.closed(bytesOf(from), bytesOf(to)), false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return committed(store.reverseRange(from, to), KeyRange.closed(bytesOf(from), bytesOf(to)), true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return committed(store.all(), KeyRange.all(), false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return committed(store.reverseAll(), KeyRange.all(), true);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        KeyRange range = KeyRange.withPrefix(prefixKeySerializer.serialize(null, prefix));
        return committed(store.prefixScan(prefix, prefixKeySerializer), range, false);
    }

    @Override
    public long approximateNumEntries() {
        return store.approximateNumEntries();
    }

    private KeyValueIterator<Bytes, byte[]> committed(KeyValueIterator<Bytes, byte[]> base, KeyRange range,
                                                      boolean descending) {
        // an inverted range (from > to) gives Kafka's empty iterator and warning: no committed key belongs in it
        return new CommittedViewIterator(base, uncommitted,
                range.isEmpty() ? java.util.List.of() : uncommitted.committedInRange(range::contains),
                store.isOrdered(), descending);
    }

    private static byte[] bytesOf(Bytes key) {
        return key == null ? null : key.get();
    }
}
