package io.bucketmap.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@link QueryStressScenario} in a child JVM ({@link ChildJvm#startOnKafka}), on the Kafka Streams its class path
 * brings: how {@link QueryStressIT} runs the stress on each older Kafka Streams of the matrix. Transactional state stores
 * off and no isolation level asked (both are 4.4's). Prints the Kafka Streams version, the report table, the stalls'
 * stacks, the outcome's summary, its {@code RESULT} lines and {@value #DONE}, then waits to be killed (a deadlocked
 * stream thread would never stop).
 *
 * <p>Arguments: bootstrap servers, input topic (created), state directory (empty), partitions, keys, query threads, the
 * stores as {@link StressedStores#namesList} writes them, seconds per half, records per half.
 */
public final class QueryStressChild {
    static final String DONE = "DONE";
    static final String VERSION = "Kafka Streams ";

    private QueryStressChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(VERSION + StreamsApps.kafkaStreamsVersion());
        Path state = Path.of(args[2]);
        QueryStressScenario scenario = new QueryStressScenario(args[0], args[1], Integer.parseInt(args[3]),
            Integer.parseInt(args[4]), Integer.parseInt(args[5]), StressedStores.fromNamesList(args[6]), false,
            Duration.ofSeconds(Long.parseLong(args[7])), Long.parseLong(args[8]));
        QueryStressScenario.Outcome outcome = scenario.run(Files.createDirectories(state.resolve("first")),
            Files.createDirectories(state.resolve("second")), Files.createDirectories(state.resolve("replacement")));
        System.out.println(outcome.report().table());
        outcome.report().stalls().forEach(System.out::println);
        System.out.println(outcome.summary());
        outcome.resultLines().forEach(System.out::println);
        System.out.println(DONE);
        System.out.flush();
        Thread.currentThread().join();
    }
}
