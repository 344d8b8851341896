package io.bucketmap.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How the local copy's metadata is written in its metadata column family, next to the data and in the same write
 * batch: one entry per changelog partition ({@code "offset <topic> <partition>"} to an 8-byte big-endian offset;
 * topic names cannot contain spaces), the store's IQ position ({@code "position"}) and, once an expiring store has seen
 * a record time, its stream time ({@code "stream-time"}, 8 bytes big-endian). Stateless.
 */
final class CopyMetadata {
    static final byte[] POSITION_KEY = "position".getBytes(StandardCharsets.UTF_8);
    static final byte[] STREAM_TIME_KEY = "stream-time".getBytes(StandardCharsets.UTF_8);
    private static final String OFFSET_KEY_PREFIX = "offset ";

    private CopyMetadata() {
    }

    static byte[] offsetKey(TopicPartition partition) {
        return (OFFSET_KEY_PREFIX + partition.topic() + " " + partition.partition()).getBytes(StandardCharsets.UTF_8);
    }

    /** The partition an offset key names, or null if {@code key} is not an offset key. */
    static TopicPartition partitionOf(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        if (!text.startsWith(OFFSET_KEY_PREFIX)) {
            return null;
        }
        int space = text.lastIndexOf(' ');
        return new TopicPartition(text.substring(OFFSET_KEY_PREFIX.length(), space),
                Integer.parseInt(text.substring(space + 1)));
    }

    /** An offset or a stream time: 8 bytes, big-endian. */
    static byte[] encodeLong(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    static long decodeLong(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** [topic count] then per topic [name length][name][partition count] and per partition [partition][offset]. */
    static byte[] encodePosition(Position position) {
        Map<byte[], Map<Integer, Long>> topics = new HashMap<>();
        int size = Integer.BYTES;
        for (String topic : position.getTopics()) {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            Map<Integer, Long> partitions = position.getPartitionPositions(topic);
            topics.put(name, partitions);
            size += Integer.BYTES + name.length + Integer.BYTES + partitions.size() * (Integer.BYTES + Long.BYTES);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(topics.size());
        topics.forEach((name, partitions) -> {
            buffer.putInt(name.length).put(name).putInt(partitions.size());
            partitions.forEach((partition, offset) -> buffer.putInt(partition).putLong(offset));
        });
        return buffer.array();
    }

    static Position decodePosition(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        Map<String, Map<Integer, Long>> topics = new HashMap<>();
        for (int topicCount = buffer.getInt(); topicCount > 0; topicCount--) {
            byte[] name = new byte[buffer.getInt()];
            buffer.get(name);
            Map<Integer, Long> partitions = new HashMap<>();
            for (int partitionCount = buffer.getInt(); partitionCount > 0; partitionCount--) {
                partitions.put(buffer.getInt(), buffer.getLong());
            }
            topics.put(new String(name, StandardCharsets.UTF_8), partitions);
        }
        return Position.fromMap(topics);
    }
}
