package io.bucketmap.examples.risk.app;

import io.bucketmap.examples.risk.EvictionVariant;
import io.bucketmap.examples.risk.ExpiryClock;
import java.time.Duration;
import java.util.Locale;

/**
 * The main job's command-line options. Immutable.
 *
 * @param bootstrapServers  an existing cluster to use instead of the embedded broker, or null
 * @param eventsPerSecond   how many events the generator produces per second
 * @param decisionRatio     the share of events (0..1) that get a decision
 * @param maxDecisionDelay  a decision is sent a uniformly random delay in [0, this] after its event
 * @param timeout           how long an event waits for its decision; positive (at zero an event has expired by the
 *                          time its second copy, sent with the same timestamp, arrives)
 * @param duration          how long the generator produces events
 * @param malformed         how many malformed records the generator mixes in (spread over the run)
 * @param duplicates        how many events the generator sends twice while pending (spread over the run)
 * @param partitions        partitions per topic
 * @param variant           the eviction variant of the topology
 * @param store             the key-value store the topology runs on
 * @param clock             the clock that judges deadlines
 */
record ExampleOptions(String bootstrapServers, int eventsPerSecond, double decisionRatio, Duration maxDecisionDelay,
                      Duration timeout, Duration duration, int malformed, int duplicates, int partitions,
                      EvictionVariant variant, ExampleStore store, ExpiryClock clock) {

    static final String USAGE = """
        usage: run-example.sh [options]
          --bootstrap-servers HOST:PORT  use this cluster instead of starting an embedded broker
          --rate N                       events per second                       (default 2000)
          --decision-ratio R             share of events that get a decision     (default 0.8)
          --decision-delay-ms MS         max delay of a decision after its event (default 3000)
          --timeout-ms MS                how long an event waits for a decision  (default 2000, at least 1)
          --duration-s S                 how long to generate events             (default 15)
          --malformed N                  malformed records to mix in             (default 20)
          --duplicates N                 events to send twice while pending      (default 10)
          --partitions N                 partitions per topic                    (default 3)
          --variant index|scan           deadline index or all()-scan eviction   (default index)
          --store STORE                  the state store                         (default bucketmap)
                                         bucketmap|bucketmap-persistent|in-memory|rocksdb
          --clock event-time|wall-clock  what judges deadlines                   (default event-time)
          --idle-fallback-ms MS          event time: how long an input may stay silent before it is
                                         not waited for                          (default 600000)
        """;

    /** @throws IllegalArgumentException with a message naming the bad option */
    static ExampleOptions parse(String... args) {
        String bootstrap = null;
        int rate = 2_000;
        double ratio = 0.8;
        long delayMs = 3_000;
        long timeoutMs = 2_000;
        long durationS = 15;
        int malformed = 20;
        int duplicates = 10;
        int partitions = 3;
        EvictionVariant variant = EvictionVariant.DEADLINE_INDEX;
        ExampleStore store = ExampleStore.BUCKETMAP;
        boolean eventTime = true;
        long idleFallbackMs = 600_000;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--bootstrap-servers" -> bootstrap = value;
                case "--rate" -> rate = positiveInt(option, value);
                case "--decision-ratio" -> ratio = ratio(option, value);
                case "--decision-delay-ms" -> delayMs = nonNegativeLong(option, value);
                case "--timeout-ms" -> timeoutMs = positiveLong(option, value);
                case "--duration-s" -> durationS = positiveInt(option, value);
                case "--malformed" -> malformed = (int) nonNegativeLong(option, value);
                case "--duplicates" -> duplicates = (int) nonNegativeLong(option, value);
                case "--partitions" -> partitions = positiveInt(option, value);
                case "--variant" -> variant = switch (value.toLowerCase(Locale.ROOT)) {
                    case "index" -> EvictionVariant.DEADLINE_INDEX;
                    case "scan" -> EvictionVariant.STORE_SCAN;
                    default -> throw new IllegalArgumentException("--variant must be index or scan: " + value);
                };
                case "--store" -> store = ExampleStore.ofOption(value);
                case "--clock" -> eventTime = switch (value.toLowerCase(Locale.ROOT)) {
                    case "event-time" -> true;
                    case "wall-clock" -> false;
                    default -> throw new IllegalArgumentException("--clock must be event-time or wall-clock: " + value);
                };
                case "--idle-fallback-ms" -> idleFallbackMs = positiveLong(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new ExampleOptions(bootstrap, rate, ratio, Duration.ofMillis(delayMs), Duration.ofMillis(timeoutMs),
            Duration.ofSeconds(durationS), malformed, duplicates, partitions, variant, store,
            eventTime ? ExpiryClock.eventTime(Duration.ofMillis(idleFallbackMs)) : ExpiryClock.wallClock());
    }

    private static int positiveInt(String option, String value) {
        long parsed = positiveLong(option, value);
        if (parsed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a positive int: " + value);
        }
        return (int) parsed;
    }

    private static long positiveLong(String option, String value) {
        long parsed = nonNegativeLong(option, value);
        if (parsed == 0) {
            throw new IllegalArgumentException(option + " must be positive: " + value);
        }
        return parsed;
    }

    private static long nonNegativeLong(String option, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new IllegalArgumentException(option + " must not be negative: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number: " + value, e);
        }
    }

    private static double ratio(String option, String value) {
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed >= 0 && parsed <= 1)) {
                throw new IllegalArgumentException(option + " must be in [0, 1]: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number: " + value, e);
        }
    }
}
