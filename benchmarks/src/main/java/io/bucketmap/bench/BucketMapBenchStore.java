package io.bucketmap.bench;

import io.bucketmap.core.BucketMap;

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
    public void close() {
    }
}
