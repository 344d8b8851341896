package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.OutcomeKind;
import io.bucketmap.examples.risk.RiskTopics;
import io.bucketmap.examples.risk.RiskTopology;
import io.bucketmap.examples.risk.RiskTopologyConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * The risk-event example end to end: starts a single-node Kafka broker in this process (or uses
 * {@code --bootstrap-servers}), creates the topics, runs the topology with {@code exactly_once_v2}, drives the
 * generator with a live progress line, then reconciles the outcome topic (read_committed) against what was
 * produced. Exit code 0 only if reconciled; 1 if not; 2 for bad options. See {@link ExampleOptions#USAGE}.
 */
public final class RiskExampleMain {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(120);
    /** How long to wait, beyond the timeout, for the generator's next record or the next outcome before giving up. */
    private static final Duration STALL_LIMIT = Duration.ofSeconds(180);
    /** Extra time after everything is accounted for, so a late duplicate outcome would still be seen. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final ExampleOptions options;
    private final long startNanos = System.nanoTime();

    RiskExampleMain(ExampleOptions options) {
        this.options = options;
    }

    /** Runs the example and exits the JVM with its result. */
    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(ExampleOptions.USAGE);
            return;
        }
        ExampleOptions options;
        try {
            options = ExampleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(ExampleOptions.USAGE);
            System.exit(2);
            return;
        }
        RiskExampleMain example = new RiskExampleMain(options);
        int exitCode = example.run().filter(Reconciliation::reconciled).isPresent() ? 0 : 1;
        example.log(String.format(Locale.ROOT, "wall time %.1fs including broker start and stop, exit code %d",
            example.elapsed(), exitCode));
        System.exit(exitCode);
    }

    /**
     * Runs the whole job once, printing progress and the summary to standard output.
     *
     * @return the reconciliation, or empty if the application did not start
     * @throws Exception if the broker, the topics or the application cannot be set up
     */
    Optional<Reconciliation> run() throws Exception {
        String runId = Long.toString(System.currentTimeMillis(), 36);
        boolean embedded = options.bootstrapServers() == null;
        EmbeddedKafkaBroker broker = null;
        if (embedded) {
            log("starting an embedded single-node Kafka broker (KRaft) on loopback");
            broker = EmbeddedKafkaBroker.start();
        }
        try {
            String bootstrap = embedded ? broker.bootstrapServers() : options.bootstrapServers();
            log("broker ready at " + bootstrap);
            // On a shared cluster every run gets its own topics and application id, and removes them at the end.
            RiskTopics topics = embedded ? RiskTopics.defaults() : suffixed(RiskTopics.defaults(), runId);
            String applicationId = "bucketmap-risk-example" + (embedded ? "" : "-" + runId);
            try (RiskTopicAdmin admin = new RiskTopicAdmin(bootstrap)) {
                admin.create(topics, options.partitions());
                try {
                    return runApplication(bootstrap, topics, applicationId, runId + "-");
                } finally {
                    if (!embedded) {
                        admin.deleteAll(topics, applicationId);
                    }
                }
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    private Optional<Reconciliation> runApplication(String bootstrap, RiskTopics topics, String applicationId,
                                                    String idPrefix)
        throws Exception {
        RiskTopologyConfig config = new RiskTopologyConfig(options.variant(),
            options.store().suppliers(options.variant()), options.timeout(), options.clock(),
            Duration.ofMillis(100), topics);
        double plannedShare = EventGenerator.plannedDecidedShare(options);
        log(String.format(Locale.ROOT,
            "topology: %s eviction on %s; exactly_once_v2; deadlines judged by %s",
            options.variant(), options.store().describe(options.variant()), options.clock().describe()));
        log(String.format(Locale.ROOT,
            "generator: %d events/s for %ds, decision ratio %.2f, decision delay 0..%dms, timeout %dms, "
                + "%d malformed, %d duplicates: expected decided share %.2f%%",
            options.eventsPerSecond(), options.duration().toSeconds(), options.decisionRatio(),
            options.maxDecisionDelay().toMillis(), options.timeout().toMillis(), options.malformed(),
            options.duplicates(), 100 * plannedShare));
        GeneratorLedger ledger = new GeneratorLedger();
        KafkaStreams streams = new KafkaStreams(RiskTopology.build(config), streamsProperties(bootstrap, applicationId));
        streams.setUncaughtExceptionHandler(exception -> {
            System.err.println("stream thread failed: " + exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        try (OutcomeTally tally = new OutcomeTally(bootstrap, topics, idPrefix, ledger.inTimeDecisionIds::contains);
             EventGenerator generator = new EventGenerator(options, topics, bootstrap, idPrefix, ledger)) {
            streams.start();
            if (!await(() -> streams.state() == KafkaStreams.State.RUNNING, STARTUP_LIMIT, () -> 0, () -> { })) {
                log("the application did not reach RUNNING; state " + streams.state());
                return Optional.empty();
            }
            log("application running; generating");
            tally.start();
            ProgressLine progress = new ProgressLine(generator, ledger, tally, new StoreGauges(streams,
                options.store().pendingStore(options.variant()).metricsScope()));
            // The generator waits for the broker's acknowledgements, which a busy machine slows down: wait as long as it
            // sends, and after its last record for the clock record a timeout later.
            boolean generated = await(() -> {
                generator.tick();
                return generator.done();
            }, options.timeout().plus(STALL_LIMIT), generator::recordsSent, () -> progress.print(elapsed()));
            if (!generated) {
                log("gave up generating; application state " + streams.state());
            }
            // A busy machine may need minutes to catch up: wait as long as outcomes keep arriving. The generator's last
            // clock record times the last events out; on a machine at load 35 the application went a minute without
            // committing an outcome and then caught up.
            Duration stallLimit = options.timeout().plus(STALL_LIMIT);
            if (generated && !await(() -> accountedFor(ledger, tally), stallLimit, tally::recordsCounted,
                    () -> progress.print(elapsed()))) {
                log("gave up waiting for outcomes: none for " + stallLimit.toSeconds() + "s; application state "
                    + streams.state());
            }
            progress.print(elapsed());
            Thread.sleep(SETTLE.toMillis());
            tally.stopAtEnd(Duration.ofSeconds(30));
            Reconciliation result = Reconciliation.of(ledger, tally.finalCounts(), plannedShare);
            System.out.println(result.summary());
            return Optional.of(result);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
            streams.cleanUp();
        }
    }

    /**
     * Calls {@code condition} every few milliseconds until it is true or {@code limit} passes without
     * {@code progress} changing (a constant progress makes the limit absolute), calling {@code everySecond} every
     * second. @return whether the condition became true
     */
    private static boolean await(BooleanSupplier condition, Duration limit, LongSupplier progress,
                                 Runnable everySecond) throws InterruptedException {
        long lastProgress = progress.getAsLong();
        long deadline = System.nanoTime() + limit.toNanos();
        long nextSecond = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= nextSecond) {
                everySecond.run();
                nextSecond += PROGRESS_EVERY.toNanos();
            }
            long current = progress.getAsLong();
            if (current != lastProgress) {
                lastProgress = current;
                deadline = now + limit.toNanos();
            }
            Thread.sleep(5);
        }
        return false;
    }

    private static boolean accountedFor(GeneratorLedger ledger, OutcomeTally tally) {
        return tally.count(OutcomeKind.DECIDED) + tally.count(OutcomeKind.TIMED_OUT) >= ledger.eventIds.size()
            && tally.count(OutcomeKind.DECIDED) + tally.count(OutcomeKind.LATE_DECISION) >= ledger.decisions.get()
            && tally.count(OutcomeKind.DUPLICATE_EVENT) >= ledger.duplicates.get()
            && tally.deadLetters() >= ledger.malformed.get();
    }

    private static Properties streamsProperties(String bootstrap, String applicationId) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bucketmap-example-state").toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        return props;
    }

    private static RiskTopics suffixed(RiskTopics topics, String suffix) {
        return new RiskTopics(topics.events() + "-" + suffix, topics.decisions() + "-" + suffix,
            topics.outcomes() + "-" + suffix, topics.deadLetters() + "-" + suffix);
    }

    private double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void log(String message) {
        System.out.printf(Locale.ROOT, "[%5.1fs] %s%n", elapsed(), message);
    }
}
