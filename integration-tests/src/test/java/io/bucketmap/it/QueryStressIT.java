package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interactive queries that are always answered and never deadlock (issue 27), on the broker, in the
 * {@link QueryStressScenario}: two instances under {@code exactly_once_v2} with IQ consistency vectors and a standby
 * each, whose stream threads write the stores as fast as a producer feeds them, committing every 100 ms; standbys
 * restore all along, and one instance is replaced halfway by one with an empty state directory, which restores
 * everything. Four query threads meanwhile ask every store {@code KeyQuery} and {@code RangeQuery}, with and without
 * position bounds ({@link QueryStress}, which checks every answer).
 *
 * <ul>
 *   <li>On the project's Kafka (4.4), in this JVM: every bucket-map builder (in-memory, hash order, persistent, plain,
 *   timestamped, header-aware) and Kafka's in-memory store, transactional state stores on, both isolation levels.</li>
 *   <li>On each older Kafka Streams of the matrix (4.0 to 4.3, the versions of the root pom's {@code matrix.*}
 *   properties), in a child JVM whose class path has that version's kafka-streams, kafka-clients and rocksdbjni
 *   (copied by {@code integration-tests/pom.xml}): the builders that version runs, transactional state stores off and
 *   no isolation level asked (both are 4.4's), so every query reads uncommitted. The broker stays 4.4, as for users
 *   of older clients.</li>
 * </ul>
 *
 * <p>Kafka's own in-memory store without transactional stores deadlocks under such queries (KAFKA-19629: a query holds
 * the position's lock and waits for the store's monitor, which the stream thread's {@code put} holds while it waits for
 * the position's lock; the same code from 4.0.2 to 4.4.0). A deadlocked stream thread stops every store it writes and
 * cannot be stopped, so Kafka's store runs that way alone in a child JVM per version ({@link KafkaStoreQueryStress}):
 * reported, never asserted.
 */
class QueryStressIT {
    private static final String INPUT = "query-stress-input";
    private static final int PARTITIONS = 2;
    private static final int KEYS = 2_000;
    private static final int QUERY_THREADS = 4;
    /** The failsafe property naming the older Kafka Streams versions of the matrix, comma-separated. */
    private static final String VERSIONS_PROPERTY = "query-stress.kafka-versions";
    /** The failsafe property naming the directory that holds a directory of jars per version. */
    private static final String JARS_PROPERTY = "query-stress.kafka-jars";
    /** Limits of a child's run: its Kafka Streams start, two halves, the replacement and the closes. */
    private static final Duration CHILD_LIMIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(360)
    void everyBuilderOfOursAnswersEveryQueryRightAndNoThreadStallsWhileTheAppWritesCommitsAndRestores(
        @TempDir Path firstState, @TempDir Path secondState, @TempDir Path replacementState) throws Exception {
        String input = INPUT + "-4.4";
        cluster.createTopics(PARTITIONS, input);
        List<StressedStores> stores = Arrays.asList(StressedStores.values());
        QueryStressScenario.Outcome outcome = new QueryStressScenario(cluster.bootstrapServers(), input, PARTITIONS,
            KEYS, QUERY_THREADS, stores, true, Duration.ofSeconds(15), 20_000)
            .run(firstState, secondState, replacementState);

        System.out.println(outcome.report().table());
        outcome.report().stalls().forEach(System.out::println);
        System.out.println(outcome.summary());
        assertOursAnsweredRightWithoutStalling(outcome, stores.stream().filter(store -> store.ours).toList(),
            List.of(IsolationLevel.values()));
    }

    @Test
    @Timeout(120)
    void kafkasInMemoryStoreWithoutTransactionalStoresUnderTheSameStressIsReported(@TempDir Path stateDir,
                                                                                  @TempDir Path logs)
        throws Exception {
        String input = INPUT + "-kafka-alone-4.4";
        cluster.createTopics(PARTITIONS, input);
        Path output = logs.resolve("kafka-in-memory-stress.log");
        try (ChildJvm child = ChildJvm.start(KafkaStoreQueryStress.class, output, kafkaStoreArguments(input, stateDir,
            true))) {
            reportKafkaStore(child, output);
        }
    }

    @ParameterizedTest(name = "Kafka Streams {0}")
    @MethodSource("olderKafkaStreamsVersions")
    @Timeout(300)
    void onEachOlderKafkaStreamsEveryBuilderOfOursThatRunsThereAnswersEveryQueryRightAndNoThreadStalls(
        String version, @TempDir Path stateDir, @TempDir Path logs) throws Exception {
        Path jars = Path.of(System.getProperty(JARS_PROPERTY), version);
        List<StressedStores> ours = StressedStores.oursRunningOn(version);
        String input = INPUT + "-" + version;
        cluster.createTopics(PARTITIONS, input);
        Path output = logs.resolve("query-stress-" + version + ".log");
        List<String> lines;
        try (ChildJvm child = ChildJvm.startOnKafka(QueryStressChild.class, jars, output, cluster.bootstrapServers(),
            input, Files.createDirectories(stateDir.resolve("ours")).toString(), Integer.toString(PARTITIONS),
            Integer.toString(KEYS), Integer.toString(QUERY_THREADS), StressedStores.namesList(ours), "8", "10000")) {
            child.awaitOutputLine(QueryStressChild.DONE, CHILD_LIMIT);
            lines = Files.readAllLines(output);
        }
        QueryStressScenario.Outcome outcome = QueryStressScenario.Outcome.fromResultLines(lines);
        System.out.println(QueryStressChild.VERSION + version + ", our stores:");
        System.out.println(outcome.report().table());
        outcome.report().stalls().forEach(System.out::println);
        System.out.println(outcome.summary());

        String kafkaInput = INPUT + "-kafka-alone-" + version;
        cluster.createTopics(PARTITIONS, kafkaInput);
        Path kafkaOutput = logs.resolve("kafka-in-memory-stress-" + version + ".log");
        try (ChildJvm child = ChildJvm.startOnKafka(KafkaStoreQueryStress.class, jars, kafkaOutput,
            kafkaStoreArguments(kafkaInput, Files.createDirectories(stateDir.resolve("kafka")), false))) {
            reportKafkaStore(child, kafkaOutput);
        }

        assertThat(lines).as("the Kafka Streams the child ran").contains(QueryStressChild.VERSION + version);
        assertOursAnsweredRightWithoutStalling(outcome, ours, List.of(IsolationLevel.READ_UNCOMMITTED));
    }

    /** The older Kafka Streams versions of the matrix, from the failsafe configuration. */
    static List<String> olderKafkaStreamsVersions() {
        String versions = System.getProperty(VERSIONS_PROPERTY);
        if (versions == null || System.getProperty(JARS_PROPERTY) == null) {
            throw new IllegalStateException("run through Maven: integration-tests/pom.xml sets " + VERSIONS_PROPERTY
                + " and " + JARS_PROPERTY + " for failsafe");
        }
        return Arrays.asList(versions.split(","));
    }

    /**
     * No deadlock, no stalled query thread, no wrong answer of {@code ours}; records processed while queried before
     * and after the restart; the replacement restored while queried; and each of {@code ours} answered at each of
     * {@code isolationLevels}, bounded queries included.
     */
    private static void assertOursAnsweredRightWithoutStalling(QueryStressScenario.Outcome outcome,
                                                               List<StressedStores> ours,
                                                               List<IsolationLevel> isolationLevels) {
        QueryStressReport report = outcome.report();
        assertThat(report.deadlockedAfterMillis()).as("ms of queries before a Java-level deadlock (-1: none)")
            .isEqualTo(-1);
        assertThat(report.stalls()).as("query threads that finished no query for %d s", QueryStress.STALL_SECONDS)
            .isEmpty();
        for (StressedStores store : ours) {
            List<String> wrong = report.violationsOf(store.storeName);
            assertThat(wrong.size()).as("wrong answers of %s, the first: %s", store.storeName,
                wrong.subList(0, Math.min(5, wrong.size()))).isZero();
        }
        assertThat(outcome.processedBeforeRestart()).as("records processed while queried, before the restart")
            .isGreaterThan(QueryStressScenario.WARM_UP_RECORDS);
        assertThat(outcome.processedAfterRestart()).as("records processed while queried, after the restart")
            .isGreaterThan(QueryStressScenario.WARM_UP_RECORDS);
        assertThat(outcome.replacementUpdated()).as("changelog records the replacement restored while queried")
            .isPositive();
        for (StressedStores store : ours) {
            for (IsolationLevel isolation : isolationLevels) {
                assertThat(report.count(store.storeName, isolation, "answered")).as("%s %s answers", store.storeName,
                    isolation).isGreaterThan(100);
                assertThat(report.count(store.storeName, isolation, "answered (bounded)"))
                    .as("%s %s bounded answers", store.storeName, isolation).isPositive();
            }
        }
    }

    private static String[] kafkaStoreArguments(String input, Path stateDir, boolean isolationLevels) {
        return new String[] {cluster.bootstrapServers(), input, stateDir.toString(), Integer.toString(PARTITIONS),
            Integer.toString(KEYS), Integer.toString(QUERY_THREADS), Boolean.toString(isolationLevels)};
    }

    /**
     * Waits for {@link KafkaStoreQueryStress} to report and prints what it did (never asserted: Kafka's store); fails
     * only if it did not run its queries.
     */
    private static void reportKafkaStore(ChildJvm child, Path output) throws IOException {
        child.awaitOutputLine(QueryStressChild.DONE, Duration.ofSeconds(100));
        List<String> lines = Files.readAllLines(output);
        QueryStressReport report = QueryStressReport.fromResultLines(lines);
        System.out.println("Kafka's in-memory store alone, transactional state stores off:");
        boolean deadlockStacks = false;
        for (String line : lines) {
            // the watchdog prints a DEADLOCK line, then each deadlocked thread: a quoted name, tab-indented frames
            deadlockStacks = line.startsWith("DEADLOCK")
                || deadlockStacks && (line.startsWith("\"") || line.startsWith("\t") || line.isBlank());
            if (deadlockStacks || line.startsWith(QueryStressChild.VERSION)
                || line.startsWith(KafkaStoreQueryStress.PROCESSED) || line.startsWith("neither")) {
                System.out.println(line);
            }
        }
        System.out.println(report.table());
    }
}
