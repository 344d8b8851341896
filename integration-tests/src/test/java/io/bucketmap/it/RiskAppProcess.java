package io.bucketmap.it;

import io.bucketmap.examples.risk.RiskTopology;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.PunctuationType;

/**
 * The risk application alone in a JVM, for the tests that crash it ({@link ChildJvm}): it runs until the
 * process is killed and never closes the application, so a kill is a real crash (no commit, no leave-group,
 * an open transaction left behind). Prints each state change as {@code STATE <name>} on standard output.
 *
 * <p>Arguments: bootstrap servers, application id, state directory, topic prefix ({@link RiskApp#topics}),
 * event timeout in milliseconds, standby replicas, expiry clock ({@code WALL_CLOCK_TIME} or {@code STREAM_TIME}),
 * and optionally {@code true} for {@code enable.transactional.statestores}.
 */
public final class RiskAppProcess {

    private RiskAppProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(
            RiskTopology.build(RiskApp.config(RiskApp.topics(args[3]), Duration.ofMillis(Long.parseLong(args[4])),
                PunctuationType.valueOf(args[6]))),
            RiskApp.properties(args[0], args[1], Path.of(args[2]), Integer.parseInt(args[5]),
                args.length > 7 && Boolean.parseBoolean(args[7])));
        streams.setStateListener((newState, oldState) -> System.out.println("STATE " + newState));
        streams.start();
        Thread.currentThread().join();
    }
}
