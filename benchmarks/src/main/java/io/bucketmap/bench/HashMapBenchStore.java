package io.bucketmap.bench;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;

/**
 * The hash-table reference: {@code HashMap<Bytes, byte[]>} with default capacity and load factor, so it grows
 * (and rehashes everything at once) the way a map in user code does.
 */
final class HashMapBenchStore implements BenchStore {
    private final Map<Bytes, byte[]> map = new HashMap<>();

    @Override
    public byte[] get(byte[] key) {
        return map.get(Bytes.wrap(key));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(Bytes.wrap(key), value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return map.remove(Bytes.wrap(key));
    }

    @Override
    public void close() {
    }
}
