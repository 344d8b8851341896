package io.bucketmap.it;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * Counts the changelog records a {@link KafkaStreams} instance loads: restored into active tasks, and
 * applied to standby tasks. Called from the state-updater thread, read from the test thread: thread-safe.
 */
final class StateUpdateCounter implements StateRestoreListener, StandbyUpdateListener {

    final AtomicLong restored = new AtomicLong();
    final Set<TopicPartition> restoreEnded = ConcurrentHashMap.newKeySet();
    final AtomicLong standbyLoaded = new AtomicLong();

    /** Registers this counter on {@code streams}, which must not be started yet. */
    StateUpdateCounter listenTo(KafkaStreams streams) {
        streams.setGlobalStateRestoreListener(this);
        streams.setStandbyUpdateListener(this);
        return this;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long count) {
        restored.addAndGet(count);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        restoreEnded.add(partition);
    }

    @Override
    public void onUpdateStart(TopicPartition partition, String store, long startingOffset) {
    }

    @Override
    public void onBatchLoaded(TopicPartition partition, String store, TaskId task, long batchEndOffset,
                              long batchSize, long currentEndOffset) {
        standbyLoaded.addAndGet(batchSize);
    }

    @Override
    public void onUpdateSuspended(TopicPartition partition, String store, long storeOffset, long currentEndOffset,
                                  SuspendReason reason) {
    }
}
