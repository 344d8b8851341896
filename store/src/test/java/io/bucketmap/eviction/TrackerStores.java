package io.bucketmap.eviction;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Two initialised in-memory stores for a tracker, the index wrapped so tests can count what scans read. */
final class TrackerStores {

    /** Shared because each MockProcessorContext logs its whole StreamsConfig; stores only register with it. */
    private static final MockProcessorContext<Object, Object> CONTEXT = new MockProcessorContext<>();

    final KeyValueStore<Bytes, byte[]> pending;
    final KeyValueStore<Bytes, byte[]> rawIndex;
    /** Index entries returned by iterators of {@link #index}. */
    final AtomicLong indexEntriesRead = new AtomicLong();
    final KeyValueStore<Bytes, byte[]> index;

    /** Kafka's in-memory stores. */
    TrackerStores() {
        this(DeadlineTrackerStores.storeBuilders("t", Stores::inMemoryKeyValueStore));
    }

    /** The stores of {@code builders} (pending store first, as {@link DeadlineTrackerStores} returns them). */
    TrackerStores(List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders) {
        pending = initialised(builders.get(0));
        rawIndex = initialised(builders.get(1));
        index = countingIterators(rawIndex);
    }

    DeadlineTracker<String, String> tracker() {
        return new DeadlineTracker<>(pending, index, Serdes.String(), Serdes.String());
    }

    /** Built without the changelog, which a mock context has no collector for. */
    private static KeyValueStore<Bytes, byte[]> initialised(StoreBuilder<KeyValueStore<Bytes, byte[]>> builder) {
        KeyValueStore<Bytes, byte[]> store = builder.withLoggingDisabled().build();
        store.init(CONTEXT.getStateStoreContext(), store);
        return store;
    }

    @SuppressWarnings("unchecked")
    private KeyValueStore<Bytes, byte[]> countingIterators(KeyValueStore<Bytes, byte[]> store) {
        return (KeyValueStore<Bytes, byte[]>) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                Object result = invoke(store, method, args);
                return result instanceof KeyValueIterator<?, ?> iterator ? countingNext(iterator) : result;
            });
    }

    private Object countingNext(KeyValueIterator<?, ?> iterator) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {KeyValueIterator.class},
            (proxy, method, args) -> {
                if (method.getName().equals("next")) {
                    indexEntriesRead.incrementAndGet();
                }
                return invoke(iterator, method, args);
            });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
