package io.bucketmap.bench;

import java.io.File;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;

/**
 * A {@link StateStoreContext} that keeps the restore callback a store registers, which
 * {@code MockProcessorContext.getStateStoreContext()} drops, so changelog records can be replayed into the store
 * the way Kafka's state updater does ({@link #restore}). Everything else goes to the wrapped context.
 *
 * <p>{@link StateRestoreCallbackAdapter} and {@link RecordBatchingStateRestoreCallback} are Kafka internals (no
 * compatibility promise); this class is the one place the benchmarks use them. Kafka's stores and the bucket-map
 * store all register a {@code RecordBatchingStateRestoreCallback}, which the adapter passes through unchanged.
 *
 * <p>Not thread-safe: one store, one thread.
 */
final class RestoreCapturingContext implements StateStoreContext {
    private final StateStoreContext delegate;
    private RecordBatchingStateRestoreCallback restoreCallback;

    RestoreCapturingContext(StateStoreContext delegate) {
        this.delegate = delegate;
    }

    /**
     * Feeds one batch of changelog records (tombstones delete) to the registered callback.
     *
     * @throws IllegalStateException if no store registered one
     */
    void restore(Collection<ConsumerRecord<byte[], byte[]>> batch) {
        if (restoreCallback == null) {
            throw new IllegalStateException("no store registered a restore callback");
        }
        restoreCallback.restoreBatch(batch);
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {
        restoreCallback = StateRestoreCallbackAdapter.adapt(callback);
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        restoreCallback = StateRestoreCallbackAdapter.adapt(callback);
    }

    @Override
    public String applicationId() {
        return delegate.applicationId();
    }

    @Override
    public TaskId taskId() {
        return delegate.taskId();
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return delegate.recordMetadata();
    }

    @Override
    public Serde<?> keySerde() {
        return delegate.keySerde();
    }

    @Override
    public Serde<?> valueSerde() {
        return delegate.valueSerde();
    }

    @Override
    public File stateDir() {
        return delegate.stateDir();
    }

    @Override
    public StreamsMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public Map<String, Object> appConfigs() {
        return delegate.appConfigs();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return delegate.appConfigsWithPrefix(prefix);
    }
}
