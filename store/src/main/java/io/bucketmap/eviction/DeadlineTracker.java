package io.bucketmap.eviction;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each tracked entry until it is {@linkplain #complete completed} or its deadline passes, when
 * {@link #expire} hands it to an {@link ExpiryHandler}. Built on two key-value stores (see
 * {@link DeadlineTrackerStores}):
 * <ul>
 *   <li>pending: id &rarr; {@code [deadline][value]};</li>
 *   <li>deadline index: {@code [deadline][id]} &rarr; empty, with a fixed-width big-endian deadline so that the
 *       store's byte order is time order. Expired entries are the index's prefix up to {@code now}: one
 *       range scan finds them without looking at any entry that has not expired.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * {@link #track}: one get and two puts. {@link #complete}: two deletes. {@link #get}: one get.
 * {@link #expireIfDue}: one get, and two deletes if the entry expires.
 * {@link #expire}: one range scan that returns only expired index entries (plus at most one entry whose id is
 * empty), and per expired entry one get and two deletes: O(expired) store operations, not O(store). The
 * memory the scan takes is the index store's: O(1) on this library's ordered store; Kafka's
 * {@code InMemoryKeyValueStore} copies the key set of the range, O(expired).
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Every tracked entry leaves exactly once: by {@link #complete} (which returns its value) or by
 *       {@link #expire} or {@link #expireIfDue} (which hand it to the handler), never both, never twice, if both stores belong to
 *       the same task and the application runs with {@code processing.guarantee=exactly_once_v2}: the store
 *       writes, their changelog records and the records the handler forwards commit in one transaction.
 *       Under at-least-once a crash can replay input and re-run an expiry whose outcome was already sent.</li>
 *   <li>Every write and delete goes through the stores handed in (the outer, changelogging stores), so the
 *       changelogs record every removal and a restore brings back exactly the pending entries.</li>
 *   <li>An entry expires at the first {@code expire(now)} with {@code now >= deadline}, in deadline order
 *       (ties in unsigned id-byte order). Deadlines and {@code now} are plain milliseconds of one clock of the
 *       caller's choice: pass the punctuation timestamp of a {@code STREAM_TIME} punctuator (entries then
 *       expire only as stream time advances, i.e. while input arrives) or of a {@code WALL_CLOCK_TIME} one
 *       (entries expire at most one punctuation interval after their deadline, input or not). Punctuators run
 *       between batches of records, so an entry can still be completed by a record that arrives after its
 *       deadline; {@link #expireIfDue} judges one entry at the record's time first.</li>
 *   <li>If the two stores disagree (possible only after an at-least-once crash between two writes, or if
 *       something else wrote to them), {@code expire} deletes index entries that point to no pending entry or
 *       to one with another deadline without calling the handler; the pending entry, if any, stays under its
 *       own deadline.</li>
 * </ul>
 *
 * <h2>Threads and failures</h2>
 * Not thread-safe: use it from the stream thread that owns the task, like the stores it wraps. Exceptions of
 * the stores and serdes propagate unchanged; see {@link ExpiryHandler} for a throwing handler.
 *
 * @param <K> id type; equal ids must serialize to equal bytes
 * @param <V> value type
 */
public final class DeadlineTracker<K, V> {

    private final KeyValueStore<Bytes, byte[]> pending;
    private final KeyValueStore<Bytes, byte[]> deadlineIndex;
    private final Serde<K> idSerde;
    private final Serde<V> valueSerde;
    private final String serdeTopic;

    /**
     * A tracker over two stores. Cost O(1); the stores must already be initialised.
     *
     * @param pending       the pending store (id to deadline and value)
     * @param deadlineIndex the deadline index; must iterate ranges in unsigned byte order
     * @param idSerde       serde for ids; must not produce {@code null}
     * @param valueSerde    serde for values; must not produce {@code null}
     */
    public DeadlineTracker(KeyValueStore<Bytes, byte[]> pending, KeyValueStore<Bytes, byte[]> deadlineIndex,
                           Serde<K> idSerde, Serde<V> valueSerde) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.deadlineIndex = Objects.requireNonNull(deadlineIndex, "deadlineIndex");
        this.idSerde = Objects.requireNonNull(idSerde, "idSerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
        this.serdeTopic = pending.name();
    }

    /**
     * The tracker over the stores that {@link DeadlineTrackerStores#storeBuilders} named after {@code name},
     * looked up in the context of a processor connected to both. Call it from {@code Processor.init}, on the
     * stream thread. Cost: two store look-ups in the context.
     *
     * @param context    the processor's context
     * @param name       the tracker's name, as given to {@link DeadlineTrackerStores#storeBuilders}
     * @param idSerde    serde for ids; must not produce {@code null}
     * @param valueSerde serde for values; must not produce {@code null}
     * @param <K>        id type
     * @param <V>        value type
     * @return a tracker over the two stores
     * @throws org.apache.kafka.streams.errors.StreamsException if the processor is not connected to the stores
     */
    public static <K, V> DeadlineTracker<K, V> fromContext(ProcessingContext context, String name,
                                                           Serde<K> idSerde, Serde<V> valueSerde) {
        KeyValueStore<Bytes, byte[]> pending = context.getStateStore(DeadlineTrackerStores.pendingStoreName(name));
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(DeadlineTrackerStores.deadlineIndexStoreName(name));
        return new DeadlineTracker<>(pending, index, idSerde, valueSerde);
    }

    /**
     * Starts tracking {@code id} unless it is already pending. Cost: one get, two puts. Stream thread only.
     *
     * @param id       the entry's id; not null
     * @param value    the value to keep until the entry leaves; not null
     * @param deadline when the entry expires, in the milliseconds of the clock passed to {@link #expire}
     * @return {@code true} if the entry is now tracked; {@code false} if {@code id} was already pending, in
     *         which case nothing changed (the first value and deadline stay)
     */
    public boolean track(K id, V value, long deadline) {
        Bytes idKey = idKey(id);
        if (pending.get(idKey) != null) {
            return false;
        }
        pending.put(idKey, DeadlineCodec.pendingValue(deadline, serializeValue(value)));
        deadlineIndex.put(Bytes.wrap(DeadlineCodec.indexKey(deadline, idKey.get())), new byte[0]);
        return true;
    }

    /**
     * Stops tracking {@code id}: it will not expire. Cost: two deletes (one if {@code id} is not pending). Stream
     * thread only.
     *
     * @param id the entry's id; not null
     * @return the value {@code id} was tracked with, or {@code null} if it was not pending (never tracked,
     *         already completed or already expired)
     */
    public V complete(K id) {
        Bytes idKey = idKey(id);
        byte[] stored = pending.delete(idKey);
        if (stored == null) {
            return null;
        }
        long deadline = DeadlineCodec.deadlineOfPendingValue(stored);
        deadlineIndex.delete(Bytes.wrap(DeadlineCodec.indexKey(deadline, idKey.get())));
        return deserializeValue(stored);
    }

    /**
     * Expires {@code id} alone if it is pending and its deadline is {@code <= now}: hands it to {@code handler} and
     * deletes it, exactly as {@link #expire} would. Cost: one get, plus two deletes if it expires. Stream thread only.
     *
     * <p>For judging one entry at the time of the record being processed, before {@link #complete} or {@link #track}
     * of the same id. Kafka Streams runs punctuators between batches of records, not between records, so an entry
     * whose deadline a record has already passed may still be pending when that record's completion arrives; calling
     * this first makes the outcome depend on the deadline and the time passed in, not on where the batch ended.
     * If the handler throws, the entry stays pending and the exception propagates.
     *
     * @param id      the entry's id; not null
     * @param now     the current time, in the milliseconds the deadlines were given in
     * @param handler receives the entry if it expires, before it is deleted
     * @return {@code true} if the entry expired; {@code false} if it is not pending or not yet due (nothing changed)
     */
    public boolean expireIfDue(K id, long now, ExpiryHandler<K, V> handler) {
        Bytes idKey = idKey(id);
        byte[] stored = pending.get(idKey);
        if (stored == null) {
            return false;
        }
        long deadline = DeadlineCodec.deadlineOfPendingValue(stored);
        if (deadline > now) {
            return false;
        }
        handler.expired(id, deserializeValue(stored), deadline);
        pending.delete(idKey);
        deadlineIndex.delete(Bytes.wrap(DeadlineCodec.indexKey(deadline, idKey.get())));
        return true;
    }

    /**
     * The pending value of {@code id}, without changing anything. Cost: one get. Stream thread only.
     *
     * @param id the entry's id; not null
     * @return the value, or {@code null} if {@code id} is not pending
     */
    public V get(K id) {
        byte[] stored = pending.get(idKey(id));
        return stored == null ? null : deserializeValue(stored);
    }

    /**
     * Hands every entry with {@code deadline <= now} to {@code handler} and deletes it, earliest deadline
     * first. Cost: O(expired) store operations, see the class comment. Entries the handler tracks during the
     * call are expired by this call at most once, and only if their deadline is {@code <= now}. Stream thread only
     * (a punctuator's). If the handler throws, the entry it was handed stays pending and the exception propagates.
     *
     * @param now     the current time, in the milliseconds the deadlines were given in
     * @param handler receives each expired entry before it is deleted
     * @return the number of entries handed to the handler
     */
    public int expire(long now, ExpiryHandler<K, V> handler) {
        // Range bounds are inclusive: up to the first key of deadline now + 1 covers every id of deadline now.
        // That bound itself is a key only for an empty id at now + 1, which the deadline check skips.
        Bytes to = now == Long.MAX_VALUE ? null : Bytes.wrap(DeadlineCodec.firstIndexKeyOf(now + 1));
        int expired = 0;
        try (KeyValueIterator<Bytes, byte[]> due = deadlineIndex.range(null, to)) {
            while (due.hasNext()) {
                Bytes indexKey = due.next().key;
                long deadline = DeadlineCodec.deadlineOfIndexKey(indexKey.get());
                if (deadline > now) {
                    break;
                }
                Bytes idKey = Bytes.wrap(DeadlineCodec.idOfIndexKey(indexKey.get()));
                byte[] stored = pending.get(idKey);
                if (stored != null && DeadlineCodec.deadlineOfPendingValue(stored) == deadline) {
                    // The handler runs first: if it throws, the entry is still pending and expires again later.
                    handler.expired(idSerde.deserializer().deserialize(serdeTopic, idKey.get()),
                        deserializeValue(stored), deadline);
                    pending.delete(idKey);
                    expired++;
                }
                deadlineIndex.delete(indexKey);
            }
        }
        return expired;
    }

    /**
     * Approximate number of pending entries, as the pending store reports it. Cost: the store's (O(1) on this
     * library's stores). Stream thread only, like the tracker.
     *
     * @return the pending store's {@code approximateNumEntries()}
     */
    public long approximatePendingCount() {
        return pending.approximateNumEntries();
    }

    private Bytes idKey(K id) {
        byte[] bytes = idSerde.serializer().serialize(serdeTopic, Objects.requireNonNull(id, "id"));
        return Bytes.wrap(Objects.requireNonNull(bytes, "idSerde produced null"));
    }

    private byte[] serializeValue(V value) {
        byte[] bytes = valueSerde.serializer().serialize(serdeTopic, Objects.requireNonNull(value, "value"));
        return Objects.requireNonNull(bytes, "valueSerde produced null");
    }

    private V deserializeValue(byte[] stored) {
        return valueSerde.deserializer().deserialize(serdeTopic, DeadlineCodec.valueOfPendingValue(stored));
    }
}
