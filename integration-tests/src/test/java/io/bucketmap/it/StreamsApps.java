package io.bucketmap.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Settings and lifecycle steps shared by the tests' {@link KafkaStreams} instances: small timeouts so that
 * rebalances, commits and crash detection take seconds, not the production defaults' minutes.
 */
final class StreamsApps {

    /** The broker's minimum ({@code group.min.session.timeout.ms}); a crashed member is noticed after this. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(30);
    /** Whether the Kafka Streams running has {@code org.apache.kafka.streams.CloseOptions} (4.2 and newer). */
    private static final boolean HAS_CLOSE_OPTIONS = hasClass("org.apache.kafka.streams.CloseOptions");

    private StreamsApps() {
    }

    /** An application id no other test or earlier run on the same broker uses. */
    static String uniqueApplicationId(String name) {
        return name + "-" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    }

    /**
     * One stream thread, commits every 100 ms, 6 s session timeout, replication factor 1, input from the
     * earliest offset; at-least-once unless the caller sets {@code processing.guarantee}.
     */
    static Properties properties(String bootstrapServers, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
            (int) SESSION_TIMEOUT.toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        return props;
    }

    /** Starts {@code streams} and waits until it is RUNNING; fails if it errors or takes over a minute. */
    static void startAndAwaitRunning(KafkaStreams streams) {
        streams.start();
        awaitRunning(streams);
    }

    private static void awaitRunning(KafkaStreams streams) {
        await("state RUNNING").atMost(STARTUP_LIMIT)
            .failFast("the application failed", () -> streams.state() == KafkaStreams.State.ERROR
                || streams.state() == KafkaStreams.State.PENDING_ERROR)
            .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    /**
     * A clean stop: commits and leaves the group, so the next instance does not wait out the session timeout; gives up
     * after 30 s. Through {@code org.apache.kafka.streams.CloseOptions} where the Kafka Streams running has it (4.2 and
     * newer), else through {@code KafkaStreams.CloseOptions}, which it replaces.
     */
    static void closeLeavingGroup(KafkaStreams streams) {
        if (HAS_CLOSE_OPTIONS) {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_LIMIT));
        } else {
            closeLeavingGroupBefore42(streams);
        }
    }

    @SuppressWarnings("deprecation")
    private static void closeLeavingGroupBefore42(KafkaStreams streams) {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(CLOSE_LIMIT));
    }

    /**
     * The version of the Kafka Streams running, such as "4.2.2", from the {@code kafka/kafka-streams-version.properties}
     * its jar carries; "(unknown version)" if it carries none.
     */
    static String kafkaStreamsVersion() {
        try (InputStream in = KafkaStreams.class.getResourceAsStream("/kafka/kafka-streams-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "(unknown version)");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    private static boolean hasClass(String name) {
        try {
            Class.forName(name, false, KafkaStreams.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }
}
