package io.bucketmap.examples.risk;

import java.math.BigDecimal;

/**
 * A payment-like event that waits for a risk decision; the value of topic {@code risk-events} (the key is the
 * event id). Immutable.
 *
 * @param account   the account the event belongs to, not blank
 * @param amount    the amount, not negative
 * @param type      the kind of event (e.g. {@code CARD_PAYMENT}), not blank
 * @param eventTime when it happened, epoch milliseconds; the deadline is counted from it
 */
public record RiskEvent(String account, BigDecimal amount, String type, long eventTime) {
}
