package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;
import io.bucketmap.core.BucketMapIterator;
import io.bucketmap.core.KeyRange;
import java.util.function.BiConsumer;

/** The core {@link BucketMap}, called with the arrays as they come: no wrapper objects. */
final class BucketMapBenchStore implements BenchStore {
    private final BucketMap map;

    BucketMapBenchStore(BucketMap map) {
        this.map = map;
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return map.delete(key);
    }

    @Override
    public int scanDeleting(int everyNth, BiConsumer<byte[], byte[]> deleted) {
        int seen = 0;
        try (BucketMapIterator entries = map.iterator()) {
            while (entries.hasNext()) {
                BucketMap.Entry entry = entries.next();
                ConsumedValues.read(entry.value());
                if (++seen % everyNth == 0) {
                    map.delete(entry.key());
                    deleted.accept(entry.key(), entry.value());
                }
            }
        }
        return seen;
    }

    @Override
    public int range(byte[] from, byte[] to) {
        return walk(KeyRange.closed(from, to));
    }

    @Override
    public int prefixScan(byte[] prefix) {
        return walk(KeyRange.withPrefix(prefix));
    }

    private int walk(KeyRange range) {
        int seen = 0;
        try (BucketMapIterator entries = map.iterator(range, false)) {
            while (entries.hasNext()) {
                ConsumedValues.read(entries.next().value());
                seen++;
            }
        }
        return seen;
    }

    @Override
    public void close() {
    }
}
