package io.bucketmap.it;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@link QueryStress} on Kafka's own in-memory store without transactional state stores, alone in a JVM
 * ({@link ChildJvm}): Kafka Streams 4.4.0's {@code InMemoryKeyValueStore} can deadlock there (KAFKA-19629: a query
 * holds the position's lock and waits for the store's monitor, which the stream thread's {@code put} holds while it
 * waits for the position's lock), and a deadlocked stream thread could not be stopped in the test's JVM. Runs until
 * {@value #RECORDS} input records are processed, the watchdog finds a deadlock or a stalled query thread, or
 * {@value #LIMIT_SECONDS} s pass; prints the Kafka Streams version, the report table, its {@code RESULT} lines, the
 * records processed and {@link QueryStressChild#DONE}, then waits to be killed.
 *
 * <p>Arguments: bootstrap servers, input topic (created), state directory, partitions, keys, query threads, whether
 * queries ask for an isolation level ({@code true} only on Kafka Streams 4.4 and newer, see {@link QueryStress}).
 */
public final class KafkaStoreQueryStress {
    /** The line that gives the input records processed while queried, followed by a space and their number. */
    static final String PROCESSED = "records processed while queried:";
    private static final long RECORDS = 30_000;
    private static final int LIMIT_SECONDS = 40;

    private KafkaStoreQueryStress() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println(QueryStressChild.VERSION + StreamsApps.kafkaStreamsVersion());
        String bootstrapServers = args[0];
        String input = args[1];
        List<StressedStores> stores = List.of(StressedStores.KAFKA_IN_MEMORY);
        Properties props = StreamsApps.properties(bootstrapServers, StreamsApps.uniqueApplicationId("kafka-stress"),
            Path.of(args[2]));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        KafkaStreams streams = new KafkaStreams(StressedStores.topology(input, stores), props);
        QueryStress stress = new QueryStress(input, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
            StressedStores.names(stores), StressedStores.orderedNames(stores), () -> List.of(streams),
            Boolean.parseBoolean(args[6]));
        StreamsApps.startAndAwaitRunning(streams);
        stress.start(TestCluster.producer(bootstrapServers), Integer.parseInt(args[5]));
        try {
            await().atMost(Duration.ofSeconds(LIMIT_SECONDS)).pollInterval(Duration.ofMillis(100))
                .until(() -> stress.stuck() || stress.processed() >= RECORDS);
        } catch (ConditionTimeoutException timedOut) {
            System.out.println("neither done nor stuck after " + LIMIT_SECONDS + " s");
        }
        boolean stuck = stress.stuck();
        QueryStressReport report = stress.stop(stuck ? 1 : 10);
        System.out.println(report.table());
        report.resultLines().forEach(System.out::println);
        System.out.printf("%s %d%n", PROCESSED, stress.processed());
        System.out.println(QueryStressChild.DONE);
        System.out.flush();
        // a deadlocked stream thread never stops: the test kills this JVM
        Thread.currentThread().join();
    }
}
