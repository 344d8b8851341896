package io.bucketmap.store;

import io.bucketmap.core.KeyRange;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code READ_COMMITTED} view of a bucket-map store run with {@code enable.transactional.statestores=true}
 * ({@code store.readOnly(IsolationLevel.READ_COMMITTED)}): what the store held at its last commit, as Kafka's
 * {@code InMemoryKeyValueStore} answers such reads from its committed map and skips its transaction buffer. IQv1
 * reaches it when {@code default.interactive.query.isolation.level} is {@code READ_COMMITTED}, IQv2 when the request
 * asks for that isolation level. One per open of the store ({@link OpenStore}): it reads that open's data only, and
 * fails once that open has closed.
 *
 * <p>Costs: {@code get} as the store's plus one hash lookup, O(1); iterators as {@link CommittedViewIterator}: on an
 * ordered store O(log n + log k) to open and O(1) per entry plus O(log k) after the writer recorded a delete, for the k
 * keys changed since the last commit, so a range costs what it reads, not the k changed keys. Any thread, no lock;
 * each value returned is one committed at some moment during the call (a commit may land meanwhile). Failures: those
 * of the store (closed: {@code InvalidStateStoreException}; null key: {@link NullPointerException}).
 */
final class CommittedView implements ReadOnlyKeyValueStore<Bytes, byte[]> {
    private final OpenStore opened;
    private final UncommittedWrites uncommitted;
    private final boolean ordered;
    /** The open's read of its map through its chain, for the record's read protocol; made once. */
    private final Function<byte[], byte[]> mapRead;

    CommittedView(OpenStore opened, UncommittedWrites uncommitted, boolean ordered) {
        this.opened = opened;
        this.uncommitted = uncommitted;
        this.ordered = ordered;
        this.mapRead = opened::get;
    }

    @Override
    public byte[] get(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        return uncommitted.committedValue(Objects.requireNonNull(key.get(), "key cannot be null"), mapRead);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return committed(BucketMapKeyValueStore.rangeOf(from, to), bytesOf(from), false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return committed(BucketMapKeyValueStore.rangeOf(from, to), bytesOf(to), true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return committed(KeyRange.all(), null, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return committed(KeyRange.all(), null, true);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        byte[] serializedPrefix = prefixKeySerializer.serialize(null, prefix);
        return committed(KeyRange.withPrefix(serializedPrefix), serializedPrefix, false);
    }

    @Override
    public long approximateNumEntries() {
        opened.ensureOpen();
        return opened.data.approximateSize();
    }

    /** {@code start}: the bound of {@code range} the walk starts from in its direction, or null if open. */
    private KeyValueIterator<Bytes, byte[]> committed(KeyRange range, byte[] start, boolean descending) {
        KeyValueIterator<Bytes, byte[]> base = opened.iterator(range, descending);
        return ordered
                ? CommittedViewIterator.ordered(base, uncommitted, mapRead, range, start, descending)
                : CommittedViewIterator.hashOrder(base, uncommitted, mapRead, range);
    }

    private static byte[] bytesOf(Bytes key) {
        return key == null ? null : key.get();
    }
}
