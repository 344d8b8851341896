package io.bucketmap.examples.risk.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka cluster (one combined KRaft broker and controller) in this process, on loopback, with
 * its log directory in a temporary folder deleted on close.
 *
 * <p>The only class that starts a broker, through Kafka's server classes ({@code kafka.server.KafkaRaftServer} of
 * {@code kafka_2.13}, {@code Formatter} of {@code kafka-metadata}), which have no compatibility promise: when they
 * change, this is the class to adapt. It no longer uses {@code kafka-test-common-runtime}: from 4.4.0 on, that kit's
 * {@code KafkaClusterTestKit.Builder.build()} always creates an SSL key store through kafka-clients' test jar and
 * BouncyCastle, and Kafka publishes no test jar for 4.4.0.
 *
 * <p>One node means replication factor 1 everywhere. The internal topics default to 3 replicas and a minimum
 * ISR of 2, which a single node cannot satisfy: exactly-once producers (transaction state), consumer groups
 * (offsets) and share groups would then wait forever, so they are set to 1 here.
 *
 * <p>Ports: two free loopback ports are picked by binding port 0 and releasing it, then handed to the node (a
 * static controller quorum needs its address before start). Another process could take one in between; start
 * then fails and is retried with new ports, up to three times.
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
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 0;
    private static final int START_ATTEMPTS = 3;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path directory;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path directory, String bootstrapServers) {
        this.server = server;
        this.directory = directory;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats and starts the node and waits until the broker accepts clients.
     *
     * @throws Exception if the node cannot start; nothing is left running then
     */
    public static EmbeddedKafkaBroker start() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            Path dir = Files.createTempDirectory("bucketmap-example-kafka");
            try {
                return startIn(dir);
            } catch (Exception e) {
                Utils.delete(dir.toFile());
                last = e;
            }
        }
        throw last;
    }

    private static EmbeddedKafkaBroker startIn(Path dir) throws Exception {
        int brokerPort = freeLoopbackPort();
        int controllerPort = freeLoopbackPort();
        String logDir = dir.resolve("log").toString();
        Properties props = new Properties();
        props.putAll(SINGLE_NODE_SETTINGS);
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
            + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir);
        KafkaConfig config = KafkaConfig.fromProps(props, false);

        new Formatter()
            .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .addDirectory(logDir)
            .setMetadataLogDirectory(logDir)
            .setControllerListenerName(CONTROLLER_LISTENER)
            .setReleaseVersion(MetadataVersion.latestProduction())
            .run();

        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + brokerPort;
        try {
            server.startup();
            awaitReady(bootstrap);
            return new EmbeddedKafkaBroker(server, dir, bootstrap);
        } catch (Exception | Error e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
    }

    /** Waits until the broker answers a cluster description, which it does once registered with the controller. */
    private static void awaitReady(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker at " + bootstrap + " not ready after " + READY_TIMEOUT);
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The broker's address, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the node and deletes its data. */
    public void stop() throws Exception {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            Utils.delete(directory.toFile());
        }
    }
}
