package io.bucketmap.examples.risk;

/** What the risk engine decided about an event. */
public enum Verdict {
    APPROVE,
    DECLINE,
    REVIEW
}
