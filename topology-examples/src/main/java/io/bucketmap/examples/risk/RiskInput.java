package io.bucketmap.examples.risk;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Parses and validates the raw bytes of {@code risk-events} and {@code risk-decisions} records. The topology
 * reads raw bytes and parses here, inside the processor, rather than in a deserializer: a bad record then
 * becomes a dead-letter record written in the same transaction as everything else, and is counted exactly.
 * Stateless and thread-safe; each method costs O(record size).
 */
final class RiskInput {

    private RiskInput() {
    }

    /** @throws MalformedInputException if the key is missing, empty or not UTF-8 */
    static String eventId(byte[] key) throws MalformedInputException {
        if (key == null || key.length == 0) {
            throw new MalformedInputException("missing event id (record key)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedInputException("event id (record key) is not UTF-8");
        }
    }

    /** @throws MalformedInputException if the value is not a complete, valid {@link RiskEvent} */
    static RiskEvent event(byte[] value) throws MalformedInputException {
        RiskEvent event = json(value, RiskEvent.class);
        if (event.account() == null || event.account().isBlank()) {
            throw new MalformedInputException("event without account");
        }
        if (event.amount() == null || event.amount().compareTo(BigDecimal.ZERO) < 0) {
            throw new MalformedInputException("event without a non-negative amount");
        }
        if (event.type() == null || event.type().isBlank()) {
            throw new MalformedInputException("event without type");
        }
        return event;
    }

    /** @throws MalformedInputException if the value is not a complete, valid {@link Decision} */
    static Decision decision(byte[] value) throws MalformedInputException {
        Decision decision = json(value, Decision.class);
        if (decision.verdict() == null) {
            throw new MalformedInputException("decision without verdict");
        }
        return decision;
    }

    private static <T> T json(byte[] value, Class<T> type) throws MalformedInputException {
        if (value == null) {
            throw new MalformedInputException("missing value");
        }
        try {
            return Json.read(value, type);
        } catch (SerializationException e) {
            throw new MalformedInputException(e.getMessage());
        }
    }
}
