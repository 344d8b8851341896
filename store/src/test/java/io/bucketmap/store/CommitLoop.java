package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The child JVM of {@link LocalCopyCrashTest}: opens a persistent store on a state directory and commits forever.
 * Commit {@code k} writes value {@code k} to each of {@value #KEYS} keys, replaces the key {@code extra-(k-1)} by
 * {@code extra-k}, and records changelog offset {@code k}; so any state the copy can be in names its commit.
 * Starts at the copy's committed offset plus one and prints {@code committed k} after each commit.
 */
public final class CommitLoop {
    static final TopicPartition CHANGELOG = new TopicPartition("crash-store-changelog", 0);
    static final int KEYS = 5_000;

    private CommitLoop() {
    }

    public static void main(String[] args) {
        BucketMapKeyValueStore store = open(new File(args[0]));
        Long committed = store.committedOffset(CHANGELOG);
        for (long k = committed == null ? 1 : committed + 1; ; k++) {
            byte[] value = Long.toString(k).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < KEYS; i++) {
                store.put(key("key-" + i), value);
            }
            store.delete(key("extra-" + (k - 1)));
            store.put(key("extra-" + k), value);
            store.commit(Map.of(CHANGELOG, k));
            System.out.println("committed " + k);
        }
    }

    /** The store as the test and the child open it, on {@code stateDir}. */
    static BucketMapKeyValueStore open(File stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "crash-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:0");
        BucketMapKeyValueStore store =
                (BucketMapKeyValueStore) BucketMapStores.persistentKeyValueStore("crash-store").get();
        store.init(new RestoringContext(config, stateDir), store);
        return store;
    }

    static Bytes key(String text) {
        return Bytes.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
