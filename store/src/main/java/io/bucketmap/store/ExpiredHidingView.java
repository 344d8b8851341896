package io.bucketmap.store;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A read-only view of an expiring store with the values of expired entries hidden: the {@code READ_COMMITTED} view
 * ({@link CommittedView}) answers with the values keys had at the last commit, kept aside where the store no longer
 * holds them, and an entry whose committed value has expired since is absent from it too. Only for value formats that
 * carry their record time ({@link WriteTimes#changesValues()} false): a plain store's committed values are kept as
 * callers see them, without the record time the store adds, and show until the next commit.
 *
 * <p>Costs: the view's, plus an expiry check per value. Threads and failures: the view's.
 */
final class ExpiredHidingView implements ReadOnlyKeyValueStore<Bytes, byte[]> {
    private final ReadOnlyKeyValueStore<Bytes, byte[]> view;
    private final OpenStore store;
    private final ExpiringData expiry;

    ExpiredHidingView(ReadOnlyKeyValueStore<Bytes, byte[]> view, OpenStore store, ExpiringData expiry) {
        this.view = view;
        this.store = store;
        this.expiry = expiry;
    }

    @Override
    public byte[] get(Bytes key) {
        return expiry.visible(view.get(key));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return hidingExpired(view.range(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return hidingExpired(view.reverseRange(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return hidingExpired(view.all());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return hidingExpired(view.reverseAll());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return hidingExpired(view.prefixScan(prefix, prefixKeySerializer));
    }

    @Override
    public long approximateNumEntries() {
        return view.approximateNumEntries();
    }

    private KeyValueIterator<Bytes, byte[]> hidingExpired(KeyValueIterator<Bytes, byte[]> iterator) {
        return new ExpiringKeyValueIterator(store, iterator, expiry);
    }
}
