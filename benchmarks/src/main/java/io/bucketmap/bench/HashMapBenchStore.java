package io.bucketmap.bench;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The hash-table reference: {@code HashMap<Bytes, byte[]>} with default capacity and load factor, so it grows
 * (and rehashes everything at once) the way a map in user code does. It has no key order, so no ranges.
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

    /** Deletes through {@link Iterator#remove()}: the one way to delete from a {@code HashMap} while walking it. */
    @Override
    public int scanDeleting(int everyNth, BiConsumer<byte[], byte[]> deleted) {
        int seen = 0;
        Iterator<Map.Entry<Bytes, byte[]>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Bytes, byte[]> entry = entries.next();
            ConsumedValues.read(entry.getValue());
            if (++seen % everyNth == 0) {
                entries.remove();
                deleted.accept(entry.getKey().get(), entry.getValue());
            }
        }
        return seen;
    }

    @Override
    public int range(byte[] from, byte[] to) {
        throw new UnsupportedOperationException("HashMap has no key order, so no key ranges");
    }

    @Override
    public int prefixScan(byte[] prefix) {
        throw new UnsupportedOperationException("HashMap has no key order, so no prefix scans");
    }

    @Override
    public void close() {
    }
}
