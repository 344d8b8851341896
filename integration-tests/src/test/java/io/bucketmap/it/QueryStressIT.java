package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interactive queries that are always answered and never deadlock (issue 27), on the broker: two instances of an
 * application under {@code exactly_once_v2} with {@code enable.transactional.statestores=true}, IQ consistency vectors
 * and a standby replica each, whose stream threads write every bucket-map builder (in-memory, hash order, persistent,
 * plain, timestamped, header-aware) and Kafka's in-memory store as fast as a producer feeds them, committing every
 * 100 ms; standbys restore all along, and one instance is replaced halfway by one with an empty state directory, which
 * restores everything. Four query threads meanwhile ask every store {@code KeyQuery} and {@code RangeQuery}, with and
 * without position bounds, at both isolation levels ({@link QueryStress}, which checks every answer).
 *
 * <p>Kafka 4.4 only (the {@code integration-tests} module runs on the project's Kafka): transactional state stores and
 * IQv2 isolation levels are 4.4's. Kafka's own in-memory store runs beside ours as a reference: its answers are
 * reported, never asserted. Without transactional stores Kafka 4.4.0's in-memory store deadlocks under such queries
 * (KAFKA-19629); {@link #kafkasInMemoryStoreWithoutTransactionalStoresUnderTheSameStressIsReported} runs that in a
 * child JVM and reports what it does.
 */
class QueryStressIT {
    private static final String INPUT = "query-stress-input";
    private static final int PARTITIONS = 2;
    private static final int KEYS = 2_000;
    private static final int QUERY_THREADS = 4;
    /** Each half of the run, before and after the restart, lasts this long or until this many records are processed. */
    private static final Duration HALF = Duration.ofSeconds(15);
    private static final long RECORDS_PER_HALF = 20_000;
    private static final List<StressedStores> STORES = Arrays.asList(StressedStores.values());

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(360)
    void everyBuilderOfOursAnswersEveryQueryRightAndNoThreadStallsWhileTheAppWritesCommitsAndRestores(
        @TempDir Path firstState, @TempDir Path secondState, @TempDir Path replacementState) throws Exception {
        cluster.createTopics(PARTITIONS, INPUT);
        String applicationId = StreamsApps.uniqueApplicationId("query-stress");
        KafkaStreams first = new KafkaStreams(StressedStores.topology(INPUT, STORES), properties(applicationId,
            firstState));
        KafkaStreams second = new KafkaStreams(StressedStores.topology(INPUT, STORES), properties(applicationId,
            secondState));
        AtomicReference<List<KafkaStreams>> live = new AtomicReference<>(List.of(first, second));
        QueryStress stress = new QueryStress(INPUT, PARTITIONS, KEYS, StressedStores.names(STORES),
            StressedStores.orderedNames(STORES), live::get);
        KafkaStreams replacement = null;
        StateUpdateCounter firstUpdates = new StateUpdateCounter().listenTo(first);
        StateUpdateCounter replacementUpdates = new StateUpdateCounter();
        long atRestart = 0;
        long afterRestart = 0;
        QueryStress.Report report;
        try {
            first.start();
            second.start();
            await("both instances run").atMost(Duration.ofSeconds(90))
                .until(() -> first.state() == KafkaStreams.State.RUNNING
                    && second.state() == KafkaStreams.State.RUNNING);
            stress.start(cluster.producer(), QUERY_THREADS);
            await("the stores are written while queried").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).failFast("a deadlock or a stalled query thread", stress::stuck)
                .until(() -> stress.processed() >= 500);

            atRestart = runHalf(stress, "before the restart");
            live.set(List.of(first));
            StreamsApps.closeLeavingGroup(second);
            replacement = new KafkaStreams(StressedStores.topology(INPUT, STORES), properties(applicationId,
                replacementState));
            replacementUpdates.listenTo(replacement);
            replacement.start();
            live.set(List.of(first, replacement));
            afterRestart = runHalf(stress, "after the restart") - atRestart;
        } finally {
            report = stress.stop(30);
            StreamsApps.closeLeavingGroup(first);
            if (replacement != null) {
                StreamsApps.closeLeavingGroup(replacement);
            }
        }

        System.out.println(report.table());
        report.stalls.forEach(System.out::println);
        System.out.printf("records processed while queried: %d before the restart, %d after; changelog records"
            + " restored into active tasks / loaded into standbys: first instance %d / %d, replacement %d / %d%n",
            atRestart, afterRestart, firstUpdates.restored.get(), firstUpdates.standbyLoaded.get(),
            replacementUpdates.restored.get(), replacementUpdates.standbyLoaded.get());
        assertThat(report.deadlockedAfterMillis).as("ms of queries before a Java-level deadlock (-1: none)")
            .isEqualTo(-1);
        assertThat(report.stalls).as("query threads that finished no query for %d s", QueryStress.STALL_SECONDS)
            .isEmpty();
        List<String> ours = STORES.stream().filter(store -> store.ours).map(store -> store.storeName).toList();
        assertThat(report.violations).as("wrong answers of our stores")
            .noneMatch(violation -> ours.stream().anyMatch(store -> violation.startsWith(store + " ")));
        assertThat(atRestart).as("records processed while queried, before the restart").isGreaterThan(500);
        assertThat(afterRestart).as("records processed while queried, after the restart").isGreaterThan(500);
        assertThat(replacementUpdates.restored.get() + replacementUpdates.standbyLoaded.get())
            .as("changelog records the replacement restored while queried").isPositive();
        for (String store : ours) {
            for (IsolationLevel isolation : IsolationLevel.values()) {
                assertThat(report.count(store, isolation, "answered")).as("%s %s answers", store, isolation)
                    .isGreaterThan(100);
                assertThat(report.count(store, isolation, "answered (bounded)")).as("%s %s bounded answers", store,
                    isolation).isPositive();
            }
        }
    }

    @Test
    @Timeout(120)
    void kafkasInMemoryStoreWithoutTransactionalStoresUnderTheSameStressIsReported(@TempDir Path stateDir,
                                                                                  @TempDir Path logs)
        throws Exception {
        String input = INPUT + "-kafka-alone";
        cluster.createTopics(PARTITIONS, input);
        Path output = logs.resolve("kafka-in-memory-stress.log");
        try (ChildJvm child = ChildJvm.start(KafkaStoreQueryStress.class, output, cluster.bootstrapServers(), input,
            stateDir.toString(), Integer.toString(PARTITIONS), Integer.toString(KEYS),
            Integer.toString(QUERY_THREADS))) {
            child.awaitOutputLine(KafkaStoreQueryStress.DONE, Duration.ofSeconds(100));
        }
        List<String> lines = java.nio.file.Files.readAllLines(output);
        lines.stream().filter(line -> line.startsWith("|") || line.startsWith("DEADLOCK") || line.contains(" s of ")
            || line.startsWith("RESULT")).forEach(System.out::println);
        assertThat(lines).as("the child ran queries against Kafka's store").anyMatch(line -> line.startsWith("RESULT"));
    }

    /**
     * Lets the stress run for {@link #HALF} or until {@value #RECORDS_PER_HALF} more records are processed, failing
     * at once on a deadlock or a stalled query thread; returns the records processed by then.
     */
    private static long runHalf(QueryStress stress, String when) {
        long start = stress.processed();
        long started = System.nanoTime();
        await("half of the stress " + when).atMost(HALF.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
            .failFast("a deadlock or a stalled query thread", stress::stuck)
            .until(() -> stress.processed() - start >= RECORDS_PER_HALF
                || System.nanoTime() - started >= HALF.toNanos());
        return stress.processed();
    }

    private static Properties properties(String applicationId, Path stateDir) {
        Properties props = StreamsApps.properties(cluster.bootstrapServers(), applicationId, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        return props;
    }
}
