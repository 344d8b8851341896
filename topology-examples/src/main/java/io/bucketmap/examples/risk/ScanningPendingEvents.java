package io.bucketmap.examples.risk;

import io.bucketmap.eviction.ExpiryHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pending events in one store, id &rarr; {@code [8-byte deadline][event JSON]}; expiry scans {@code all()}
 * and deletes each expired key during the scan. The classic punctuator pattern, kept minimal for comparison:
 * every punctuation reads the whole store, O(pending). Deleting while the iterator is open is safe on the
 * bucket-map store (its iterators are exact under concurrent deletes, growth and shrinking) and on Kafka's
 * in-memory store (whose iterators copy the key set first).
 */
final class ScanningPendingEvents implements PendingEvents {

    private final KeyValueStore<Bytes, byte[]> store;

    ScanningPendingEvents(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    @Override
    public boolean add(String id, RiskEvent event, long deadline) {
        Bytes key = key(id);
        if (store.get(key) != null) {
            return false;
        }
        byte[] json = Json.write(event);
        store.put(key, ByteBuffer.allocate(Long.BYTES + json.length).putLong(deadline).put(json).array());
        return true;
    }

    @Override
    public RiskEvent complete(String id) {
        byte[] stored = store.delete(key(id));
        return stored == null ? null : eventOf(stored);
    }

    @Override
    public boolean expireIfDue(String id, long now, ExpiryHandler<String, RiskEvent> handler) {
        Bytes key = key(id);
        byte[] stored = store.get(key);
        if (stored == null || deadlineOf(stored) > now) {
            return false;
        }
        handler.expired(id, eventOf(stored), deadlineOf(stored));
        store.delete(key);
        return true;
    }

    @Override
    public int expire(long now, ExpiryHandler<String, RiskEvent> handler) {
        int expired = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                long deadline = deadlineOf(entry.value);
                if (deadline <= now) {
                    handler.expired(new String(entry.key.get(), StandardCharsets.UTF_8), eventOf(entry.value),
                        deadline);
                    store.delete(entry.key);
                    expired++;
                }
            }
        }
        return expired;
    }

    private static Bytes key(String id) {
        return Bytes.wrap(id.getBytes(StandardCharsets.UTF_8));
    }

    private static long deadlineOf(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong();
    }

    private static RiskEvent eventOf(byte[] stored) {
        return Json.read(Arrays.copyOfRange(stored, Long.BYTES, stored.length), RiskEvent.class);
    }
}
