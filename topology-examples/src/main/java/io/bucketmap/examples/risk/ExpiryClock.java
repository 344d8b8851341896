package io.bucketmap.examples.risk;

import java.time.Duration;
import java.util.Objects;

/**
 * The clock that judges the topology's deadlines: when expiry times pending events out, and when a decision or a
 * repeated event meets an event whose deadline has passed. An immutable value; the topology keeps one task's clock
 * state in that task's processor.
 *
 * <ul>
 *   <li>{@link #eventTime} (the default): records are judged at their own timestamps, in timestamp order across both
 *       inputs (events and decisions), which the topology restores itself with a small buffer per task. A decision
 *       decides its event when it is stamped before the event's deadline; how busy the machine is, and in which order
 *       Kafka Streams happened to process the two inputs, does not change any outcome. A wall-clock fallback keeps an
 *       idle input from holding everything back (see {@link EventTime}).</li>
 *   <li>{@link #wallClock}: records are judged as they arrive, by the machine's clock. Events expire while no input
 *       arrives, but processing lag counts against the timeout: on a busy machine a decision produced in time is
 *       processed after its event's deadline and becomes late.</li>
 * </ul>
 */
public sealed interface ExpiryClock permits ExpiryClock.EventTime, ExpiryClock.WallClock {

    /**
     * Deadlines judged in event time, with a wall-clock fallback after {@code idleFallback} of standstill. O(1).
     *
     * @param idleFallback how long an input's latest timestamp must stand still before it is not waited for; positive
     * @return the clock
     * @throws IllegalArgumentException if {@code idleFallback} is not positive
     */
    static ExpiryClock eventTime(Duration idleFallback) {
        return new EventTime(idleFallback);
    }

    /** @return deadlines judged by the machine's clock, as records arrive */
    static ExpiryClock wallClock() {
        return new WallClock();
    }

    /** How the run's log names this clock. */
    String describe();

    /**
     * Event time. Each task releases its records in (timestamp, input) order once the other input has passed their
     * timestamp ({@link TimestampOrder}), judges each at its timestamp, and expires up to the released timestamps. An
     * input whose latest timestamp has stood still for {@code idleFallback} (counted from the first wall-clock
     * punctuation that found it unchanged, so a stalled stream thread does not count) is idle and not waited for;
     * while both inputs are idle, expiry runs up to the latest timestamp plus the wall-clock time since, so pending
     * events still time out when input stops. Clock records ({@link RiskTopology#CLOCK_HEADER}) move an input's time
     * without content: a producer that sends one to each partition now and then keeps its silence from holding the
     * other input back until the fallback, and the fallback can be long enough (ten minutes by default in the main
     * job) that a slow input is not taken for a silent one. Costs one extra store (the buffer): a put and a delete per
     * record.
     *
     * @param idleFallback how long an input's latest timestamp must stand still before it is not waited for
     */
    record EventTime(Duration idleFallback) implements ExpiryClock {

        /** @throws IllegalArgumentException if {@code idleFallback} is not positive */
        public EventTime {
            Objects.requireNonNull(idleFallback, "idleFallback");
            if (idleFallback.isNegative() || idleFallback.isZero()) {
                throw new IllegalArgumentException("idle fallback must be positive: " + idleFallback);
            }
        }

        @Override
        public String describe() {
            return "event time (both inputs in timestamp order; an input silent for " + idleFallback.toMillis()
                + "ms is not waited for)";
        }
    }

    /** The machine's clock: records judged as they arrive, a wall-clock punctuation expires up to its own time. */
    record WallClock() implements ExpiryClock {

        @Override
        public String describe() {
            return "wall clock";
        }
    }
}
