package io.bucketmap.examples.risk.app;

import java.util.Map;

/**
 * What {@link OutcomeTally} read for one run. Immutable snapshot.
 *
 * @param decided              DECIDED outcomes
 * @param timedOut             TIMED_OUT outcomes
 * @param late                 LATE_DECISION outcomes
 * @param duplicateIds         DUPLICATE_EVENT outcomes
 * @param deadLetters          dead-letter records
 * @param unreadable           outcome records that were not valid outcome JSON
 * @param terminalOutcomesById DECIDED plus TIMED_OUT outcomes per event id
 */
record TallyCounts(long decided, long timedOut, long late, long duplicateIds, long deadLetters, long unreadable,
                   Map<String, Integer> terminalOutcomesById) {

    TallyCounts {
        terminalOutcomesById = Map.copyOf(terminalOutcomesById);
    }
}
