package io.bucketmap.it;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The scenario of the query stress (issue 27), on whichever Kafka Streams the JVM runs: two instances of an application
 * under {@code exactly_once_v2} with IQ consistency vectors and a standby replica each, whose stream threads write
 * {@code stores} as fast as a producer feeds them, committing every 100 ms; {@link QueryStress} queries them all along
 * and checks every answer. Standbys restore all along, and after the first half the second instance is replaced by one
 * with an empty state directory, which restores under queries. {@link QueryStressIT} runs it in its own JVM on the
 * project's Kafka and, through {@link QueryStressChild}, in a child JVM on each older Kafka Streams of the matrix.
 *
 * <p>Blocking; the caller's thread runs it. A deadlock or a stalled query thread the watchdog finds ends the run early,
 * with an outcome that says so; it fails (an Awaitility {@code ConditionTimeoutException}) if the instances do not start
 * or the stores are not written. The stress' threads are stopped and the instances closed either way (a deadlocked
 * instance's close gives up after 30 s).
 *
 * @param bootstrapServers the broker
 * @param input            the input topic, created with {@code partitions} partitions
 * @param keys             how many keys the producer writes
 * @param queryThreads     how many threads query
 * @param stores           the stores the application writes and the stress queries
 * @param transactional    transactional state stores on and queries at both isolation levels (both Kafka Streams 4.4);
 *                         without, neither, as before 4.4
 * @param half             the longest a half of the run (before, after the replacement) lasts
 * @param recordsPerHalf   a half ends earlier once this many more records are processed
 */
record QueryStressScenario(String bootstrapServers, String input, int partitions, int keys, int queryThreads,
                           List<StressedStores> stores, boolean transactional, Duration half, long recordsPerHalf) {
    /** Records processed while queried before the halves start: the stores are being written. */
    static final long WARM_UP_RECORDS = 500;
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    /** Runs the scenario with the instances' state in the three (empty) directories; see the class comment. */
    Outcome run(Path firstState, Path secondState, Path replacementState) throws InterruptedException {
        String applicationId = StreamsApps.uniqueApplicationId("query-stress");
        KafkaStreams first = new KafkaStreams(StressedStores.topology(input, stores), properties(applicationId,
            firstState));
        KafkaStreams second = new KafkaStreams(StressedStores.topology(input, stores), properties(applicationId,
            secondState));
        AtomicReference<List<KafkaStreams>> live = new AtomicReference<>(List.of(first, second));
        QueryStress stress = new QueryStress(input, partitions, keys, StressedStores.names(stores),
            StressedStores.orderedNames(stores), live::get, transactional);
        KafkaStreams replacement = null;
        StateUpdateCounter firstUpdates = new StateUpdateCounter().listenTo(first);
        StateUpdateCounter replacementUpdates = new StateUpdateCounter();
        long atRestart = 0;
        long afterRestart = 0;
        QueryStressReport report;
        try {
            first.start();
            second.start();
            await("both instances run").atMost(STARTUP_LIMIT)
                .until(() -> first.state() == KafkaStreams.State.RUNNING
                    && second.state() == KafkaStreams.State.RUNNING);
            stress.start(TestCluster.producer(bootstrapServers), queryThreads);
            await("the stores are written while queried").atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> stress.stuck() || stress.processed() >= WARM_UP_RECORDS);
            atRestart = runHalf(stress);
            if (!stress.stuck()) {
                live.set(List.of(first));
                StreamsApps.closeLeavingGroup(second);
                replacement = new KafkaStreams(StressedStores.topology(input, stores), properties(applicationId,
                    replacementState));
                replacementUpdates.listenTo(replacement);
                replacement.start();
                live.set(List.of(first, replacement));
                afterRestart = runHalf(stress) - atRestart;
            }
        } finally {
            report = stress.stop(30);
            StreamsApps.closeLeavingGroup(first);
            StreamsApps.closeLeavingGroup(second);
            if (replacement != null) {
                StreamsApps.closeLeavingGroup(replacement);
            }
        }
        return new Outcome(report, atRestart, afterRestart, firstUpdates.restored.get(),
            firstUpdates.standbyLoaded.get(), replacementUpdates.restored.get(), replacementUpdates.standbyLoaded.get());
    }

    /**
     * Lets the stress run for {@link #half} or until {@link #recordsPerHalf} more records are processed, or until the
     * watchdog finds a deadlock or a stalled query thread; returns the records processed by then.
     */
    private long runHalf(QueryStress stress) {
        long start = stress.processed();
        long started = System.nanoTime();
        await("half of the stress").atMost(half.plusSeconds(30)).pollInterval(Duration.ofMillis(200))
            .until(() -> stress.stuck() || stress.processed() - start >= recordsPerHalf
                || System.nanoTime() - started >= half.toNanos());
        return stress.processed();
    }

    private Properties properties(String applicationId, Path stateDir) {
        Properties props = StreamsApps.properties(bootstrapServers, applicationId, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (transactional) {
            props.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        }
        props.put(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        return props;
    }

    /**
     * What a run did: the stress report, the input records processed while queried in each half, and the changelog
     * records each instance restored into active tasks and loaded into standbys. A child JVM hands it over as the
     * lines {@link #resultLines} returns, read back by {@link #fromResultLines}. Immutable.
     */
    record Outcome(QueryStressReport report, long processedBeforeRestart, long processedAfterRestart,
                   long firstRestored, long firstStandbyLoaded, long replacementRestored,
                   long replacementStandbyLoaded) {
        private static final String RESULT = "RESULT-SCENARIO\t";

        /** Changelog records the replacement restored or loaded into standbys while queried. */
        long replacementUpdated() {
            return replacementRestored + replacementStandbyLoaded;
        }

        /** One sentence: records processed per half and changelog records restored and loaded per instance. */
        String summary() {
            return String.format("records processed while queried: %d before the restart, %d after; changelog records"
                + " restored into active tasks / loaded into standbys: first instance %d / %d, replacement %d / %d",
                processedBeforeRestart, processedAfterRestart, firstRestored, firstStandbyLoaded, replacementRestored,
                replacementStandbyLoaded);
        }

        /** The report's result lines and one line of this outcome's counts. */
        List<String> resultLines() {
            List<String> lines = new ArrayList<>(report.resultLines());
            lines.add(RESULT + processedBeforeRestart + "\t" + processedAfterRestart + "\t" + firstRestored + "\t"
                + firstStandbyLoaded + "\t" + replacementRestored + "\t" + replacementStandbyLoaded);
            return lines;
        }

        /**
         * The outcome whose {@link #resultLines} are among {@code output}.
         *
         * @throws IllegalArgumentException if {@code output} lacks them: the run did not finish
         */
        static Outcome fromResultLines(List<String> output) {
            String[] counts = output.stream().filter(line -> line.startsWith(RESULT))
                .map(line -> line.substring(RESULT.length()).split("\t")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + RESULT.trim() + " line: the run did not"
                    + " finish"));
            return new Outcome(QueryStressReport.fromResultLines(output), Long.parseLong(counts[0]),
                Long.parseLong(counts[1]), Long.parseLong(counts[2]), Long.parseLong(counts[3]),
                Long.parseLong(counts[4]), Long.parseLong(counts[5]));
        }
    }
}
