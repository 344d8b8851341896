package io.bucketmap.examples.risk.app;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the generator got acknowledged by the broker: the truth the outcome topic is reconciled against.
 * Written from producer callback threads, read by the progress line and the reconciliation: thread-safe.
 */
final class GeneratorLedger {

    /** Ids of the events the broker acknowledged (first copy only; duplicates are counted apart). */
    final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    final AtomicLong decisions = new AtomicLong();
    /** Ids of the events whose acknowledged decision is stamped before their deadline: the ones meant to be decided. */
    final Set<String> inTimeDecisionIds = ConcurrentHashMap.newKeySet();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    /** Sends the broker did not acknowledge; any makes the run unreconcilable. */
    final AtomicLong sendFailures = new AtomicLong();
}
