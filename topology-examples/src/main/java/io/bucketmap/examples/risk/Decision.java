package io.bucketmap.examples.risk;

/**
 * The risk engine's answer for one event; the value of topic {@code risk-decisions} (the key is the event id).
 * Immutable.
 *
 * @param verdict   the verdict, not null
 * @param decidedAt when the engine decided, epoch milliseconds
 */
public record Decision(Verdict verdict, long decidedAt) {
}
