package io.bucketmap.examples.risk;

import java.util.List;

/**
 * The example's topic names. Events and decisions must be co-partitioned (same partition count, same key,
 * the default partitioner), because one task holds an event's pending entry and must see its decision.
 *
 * @param events      input: key event id, value {@link RiskEvent} JSON
 * @param decisions   input: key event id, value {@link Decision} JSON
 * @param outcomes    output: key event id, value {@link Outcome} JSON
 * @param deadLetters output: malformed input records, as they came, with headers saying why
 */
public record RiskTopics(String events, String decisions, String outcomes, String deadLetters) {

    /** {@code risk-events}, {@code risk-decisions}, {@code risk-outcomes}, {@code risk-dead-letters}. */
    public static RiskTopics defaults() {
        return new RiskTopics("risk-events", "risk-decisions", "risk-outcomes", "risk-dead-letters");
    }

    /** The two inputs: events, decisions. */
    public List<String> inputs() {
        return List.of(events, decisions);
    }

    /** All four names. */
    public List<String> all() {
        return List.of(events, decisions, outcomes, deadLetters);
    }
}
