package io.bucketmap.examples.risk.app;

import java.util.Map;
import java.util.Set;

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
 * @param decidedIds           the event ids with a DECIDED outcome
 */
record TallyCounts(long decided, long timedOut, long late, long duplicateIds, long deadLetters, long unreadable,
                   Map<String, Integer> terminalOutcomesById, Set<String> decidedIds) {

    TallyCounts {
        terminalOutcomesById = Map.copyOf(terminalOutcomesById);
        decidedIds = Set.copyOf(decidedIds);
    }
}
