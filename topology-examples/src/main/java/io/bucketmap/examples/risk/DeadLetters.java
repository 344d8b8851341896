package io.bucketmap.examples.risk;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a malformed input record to the dead-letter sink unchanged (key, value, timestamp, headers), adding
 * headers {@value #REASON_HEADER} and {@value #SOURCE_TOPIC_HEADER}. Cost O(record size); stream thread only.
 */
final class DeadLetters {

    /** Header with why the record was rejected (UTF-8). */
    static final String REASON_HEADER = "dead-letter-reason";
    /** Header with the topic the record came from (UTF-8). */
    static final String SOURCE_TOPIC_HEADER = "dead-letter-source-topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private DeadLetters() {
    }

    static void send(ProcessorContext<Object, Object> context, Record<byte[], byte[]> record, String reason) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("unknown");
        Headers headers = record.headers();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
        // Debug, not warn: a flood of bad input must not become a flood of log lines; the topic has them all.
        LOG.debug("dead letter from {}: {}", topic, reason);
        context.forward(record, RiskTopology.DEAD_LETTERS_SINK);
    }
}
