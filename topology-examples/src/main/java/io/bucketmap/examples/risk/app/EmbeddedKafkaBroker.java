package io.bucketmap.examples.risk.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node Kafka cluster (one combined KRaft broker and controller) in this process, on loopback, with
 * its log directory in a temporary folder deleted on close.
 *
 * <p>The only class that uses Kafka's internal test kit ({@code kafka-test-common-runtime}), which has no
 * compatibility promise: when it changes, this is the class to adapt.
 *
 * <p>One node means replication factor 1 everywhere. The internal topics default to 3 replicas and a minimum
 * ISR of 2, which a single node cannot satisfy: exactly-once producers (transaction state), consumer groups
 * (offsets) and share groups would then wait forever, so they are set to 1 here.
 *
 * <p>Startup takes a few seconds (formatting, controller election, broker registration). Not thread-safe;
 * start and stop from one thread.
 *
 * <p>Public because the integration tests ({@code integration-tests} module) reuse it as their broker.
 */
public final class EmbeddedKafkaBroker {

    private static final Map<String, String> SINGLE_NODE_SETTINGS = Map.of(
        "offsets.topic.replication.factor", "1",
        "offsets.topic.num.partitions", "3",
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "transaction.state.log.num.partitions", "3",
        "share.coordinator.state.topic.replication.factor", "1",
        "share.coordinator.state.topic.min.isr", "1",
        "min.insync.replicas", "1",
        "group.initial.rebalance.delay.ms", "0",
        "auto.create.topics.enable", "false");

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Formats and starts the node and waits until the broker accepts clients.
     *
     * @throws Exception if the node cannot start; nothing is left running then
     */
    public static EmbeddedKafkaBroker start() throws Exception {
        Path dir = Files.createTempDirectory("bucketmap-example-kafka");
        TestKitNodes nodes = new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(1)
            .setNumControllerNodes(1)
            .setBaseDirectory(dir)
            .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        SINGLE_NODE_SETTINGS.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafkaBroker(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The broker's address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Stops the node and deletes its data. */
    public void stop() throws Exception {
        cluster.close();
    }
}
