package io.bucketmap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.PunctuationType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the risk application with one standby replica each under {@code exactly_once_v2}; one, in a
 * child JVM, is killed mid-stream. The survivor takes over the dead instance's task from its standby, and the
 * outcome topic, read as a downstream consumer would (read_committed), holds exactly one outcome per event.
 */
class FailoverWithStandbyIT {

    private static final String TOPIC_PREFIX = "failover";
    private static final RiskTopics TOPICS = RiskApp.topics(TOPIC_PREFIX);
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(3);
    /** Wall-clock expiry: the dead instance's events must time out on the survivor, input or not. */
    private static final PunctuationType EXPIRY_CLOCK = PunctuationType.WALL_CLOCK_TIME;
    private static final int PARTITIONS = 2;
    private static final int EVENTS_PER_TICK = 50;
    private static final Duration TICK = Duration.ofMillis(100);

    /** One broker for the class, started before its tests and stopped after them. */
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    @Test
    @Timeout(180)
    void theSurvivorTakesOverFromItsStandbyAndEveryEventHasExactlyOneCommittedOutcome(
        @TempDir Path survivorState, @TempDir Path victimState, @TempDir Path logs) throws Exception {
        cluster.createTopics(PARTITIONS, TOPICS.all().toArray(String[]::new));
        String applicationId = StreamsApps.uniqueApplicationId("failover");
        KafkaStreams survivor = new KafkaStreams(
            RiskTopology.build(RiskApp.config(TOPICS, EVENT_TIMEOUT, EXPIRY_CLOCK)),
            RiskApp.properties(cluster.bootstrapServers(), applicationId, survivorState, 1));
        StateUpdateCounter survivorUpdates = new StateUpdateCounter().listenTo(survivor);
        Input input = new Input();
        try (ChildJvm victim = ChildJvm.start(RiskAppProcess.class, logs.resolve("victim.log"),
                cluster.bootstrapServers(), applicationId, victimState.toString(), TOPIC_PREFIX,
                Long.toString(EVENT_TIMEOUT.toMillis()), "1", EXPIRY_CLOCK.name());
             KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
            StreamsApps.startAndAwaitRunning(survivor);
            victim.awaitOutputLine("STATE RUNNING", StreamsApps.STARTUP_LIMIT);
            await("one active and one standby task on each instance").atMost(Duration.ofSeconds(60))
                .until(() -> survivor.state() == KafkaStreams.State.RUNNING
                    && activeTasks(survivor) == 1 && standbyTasks(survivor) == 1);

            input.produce(producer, 30);
            await("both instances commit outcomes; the survivor's standby follows the victim")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> survivorUpdates.standbyLoaded.get() > 0
                    && input.partitionsWithOutcomes(RiskRecords.committedOutcomes(cluster, TOPICS)) == PARTITIONS);
            long restoredBeforeKill = survivorUpdates.restored.get();

            victim.kill();
            input.produce(producer, 30);

            await("the survivor runs both tasks").atMost(Duration.ofSeconds(60))
                .until(() -> survivor.state() == KafkaStreams.State.RUNNING && activeTasks(survivor) == 2);
            await("every event has a committed outcome").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> input.allHaveTerminalOutcomes(RiskRecords.committedOutcomes(cluster, TOPICS)));
            long restoredAfterKill = survivorUpdates.restored.get() - restoredBeforeKill;
            System.out.printf("events %d; survivor: standby records loaded %d, restored after the kill %d%n",
                input.eventIds.size(), survivorUpdates.standbyLoaded.get(), restoredAfterKill);
            // Without a standby the survivor would restore the dead task's whole changelog, as much as the
            // standby loaded; from a standby it replays at most the tail the standby had not reached.
            assertThat(restoredAfterKill).as("changelog records restored after the kill")
                .isLessThan(survivorUpdates.standbyLoaded.get() / 2);
        } finally {
            // A clean close commits what the survivor still holds: any late duplicate would now be visible.
            StreamsApps.closeLeavingGroup(survivor);
        }

        Map<String, List<OutcomeKind>> outcomes = RiskRecords.committedOutcomes(cluster, TOPICS);
        assertThat(input.eventIds).as("events with exactly one DECIDED or TIMED_OUT outcome")
            .allSatisfy(id -> assertThat(RiskRecords.terminal(outcomes.get(id))).as(id).isEqualTo(1));
        assertThat(outcomes.keySet()).as("outcomes only for events produced").isSubsetOf(input.eventIds);
        long decidedOrLate = outcomes.values().stream().flatMap(List::stream)
            .filter(kind -> kind == OutcomeKind.DECIDED || kind == OutcomeKind.LATE_DECISION).count();
        assertThat(decidedOrLate).as("decisions accounted for").isEqualTo(input.decisions);
        assertThat(outcomes.values()).as("no event reported as duplicate")
            .noneMatch(kinds -> kinds.contains(OutcomeKind.DUPLICATE_EVENT));
    }

    private static int activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.activeTasks().size()).sum();
    }

    private static int standbyTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream().mapToInt(thread -> thread.standbyTasks().size()).sum();
    }

    /** Events at a steady pace, each tick deciding two in three of the previous tick's events. */
    private static final class Input {
        final List<String> eventIds = new ArrayList<>();
        long decisions;
        private List<String> previousTick = List.of();

        /** Sends {@code ticks} ticks of {@value #EVENTS_PER_TICK} events, one tick every 100 ms. */
        void produce(KafkaProducer<byte[], byte[]> producer, int ticks) throws InterruptedException {
            for (int t = 0; t < ticks; t++) {
                long now = System.currentTimeMillis();
                for (int i = 0; i < previousTick.size(); i++) {
                    if (i % 3 != 0) {
                        producer.send(RiskRecords.decision(TOPICS, previousTick.get(i), now));
                        decisions++;
                    }
                }
                List<String> tick = new ArrayList<>();
                for (int i = 0; i < EVENTS_PER_TICK; i++) {
                    String id = "event-" + eventIds.size();
                    producer.send(RiskRecords.event(TOPICS, id, now));
                    eventIds.add(id);
                    tick.add(id);
                }
                previousTick = tick;
                producer.flush();
                // Pacing, not waiting for a condition: the input must keep arriving across the crash.
                Thread.sleep(TICK.toMillis());
            }
        }

        /** How many input partitions have events with an outcome: 2 means both instances processed. */
        long partitionsWithOutcomes(Map<String, List<OutcomeKind>> outcomes) {
            return outcomes.keySet().stream()
                .map(id -> TestCluster.defaultPartition(RiskRecords.bytes(id), PARTITIONS)).distinct().count();
        }

        boolean allHaveTerminalOutcomes(Map<String, List<OutcomeKind>> outcomes) {
            return eventIds.stream().allMatch(id -> RiskRecords.terminal(outcomes.get(id)) >= 1);
        }
    }
}
