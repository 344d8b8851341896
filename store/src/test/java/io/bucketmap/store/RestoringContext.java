package io.bucketmap.store;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;

import java.io.File;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A {@link StateStoreContext} for tests that need restoration, which {@code MockProcessorContext} drops: it delegates
 * to {@code MockProcessorContext.getStateStoreContext()} and keeps the restore callback a store registers, so a test
 * can replay changelog records through it the way Kafka's state updater does ({@link #restore}).
 */
final class RestoringContext implements StateStoreContext {
    private final MockProcessorContext<Object, Object> processorContext;
    private final StateStoreContext delegate;
    private StateRestoreCallback restoreCallback;

    RestoringContext(Properties config) {
        this(new MockProcessorContext<>(config));
    }

    /** A context whose tasks' state directory is {@code stateDir}, for persistent stores. */
    RestoringContext(Properties config, File stateDir) {
        this(new MockProcessorContext<>(config, new TaskId(0, 0), stateDir));
    }

    private RestoringContext(MockProcessorContext<Object, Object> processorContext) {
        this.processorContext = processorContext;
        this.delegate = processorContext.getStateStoreContext();
    }

    RestoringContext() {
        this(new Properties());
    }

    /** Feeds one batch of changelog records to the registered callback, adapted as Kafka's state updater does. */
    void restore(Collection<ConsumerRecord<byte[], byte[]>> batch) {
        if (restoreCallback == null) {
            throw new IllegalStateException("no store registered a restore callback");
        }
        RecordBatchingStateRestoreCallback adapted = StateRestoreCallbackAdapter.adapt(restoreCallback);
        adapted.restoreBatch(batch);
    }

    StateRestoreCallback restoreCallback() {
        return restoreCallback;
    }

    MockProcessorContext<Object, Object> processorContext() {
        return processorContext;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {
        restoreCallback = callback;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        restoreCallback = callback;
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
