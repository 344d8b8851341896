package io.bucketmap.it;

import io.bucketmap.examples.risk.app.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The test broker and what tests do with it: a JUnit extension (register it as a static field with
 * {@code @RegisterExtension}) that starts a single-node broker on loopback before a class's tests and stops it
 * after them, and the operations on it: create topics, produce, read a topic to its end, and compare a
 * consumer group's committed offsets with the end of its input. Raw bytes throughout; tests convert.
 * Blocking; one instance per test class, used from the test thread.
 */
final class TestCluster implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;
    private Admin admin;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = EmbeddedKafkaBroker.start();
        bootstrapServers = broker.bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (broker != null) {
                broker.stop();
            }
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates the topics, each with {@code partitions} partitions and replication factor 1. */
    void createTopics(int partitions, String... names) throws ExecutionException, InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
        }
        admin.createTopics(topics).all().get();
    }

    /** An idempotent producer that batches generously: the tests send hundreds of thousands of small records. */
    KafkaProducer<byte[], byte[]> producer() {
        return producer(bootstrapServers);
    }

    /** {@link #producer()} for the broker at {@code bootstrapServers}: for a child JVM of a test. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
            ProducerConfig.LINGER_MS_CONFIG, 10,
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024),
            new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Every record of {@code topic} from the beginning up to its end offsets at the time of the call, in
     * partition order. With {@code READ_COMMITTED} the end is the last stable offset, so records of aborted
     * transactions are skipped and every transaction committed before the call is included.
     */
    List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic, IsolationLevel isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024),
            new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                });
            }
            return records;
        }
    }

    /**
     * True if group {@code groupId} has committed, on every partition of {@code topics}, the partition's
     * current end offset: everything produced so far is processed (and, under exactly-once, committed).
     */
    boolean consumedToEnd(String groupId, Collection<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Set<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
            .flatMap(description -> description.partitions().stream()
                .map(info -> new TopicPartition(description.name(), info.partition())))
            .collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get();
        return partitions.stream().allMatch(partition -> {
            OffsetAndMetadata offset = committed.get(partition);
            long endOffset = end.get(partition).offset();
            return endOffset == 0 || offset != null && offset.offset() >= endOffset;
        });
    }

    /** The partition Kafka's default partitioner picks for a record with this (non-null) key. */
    static int defaultPartition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
