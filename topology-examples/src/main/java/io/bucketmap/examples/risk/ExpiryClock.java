package io.bucketmap.examples.risk;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * The clock that judges the topology's deadlines: both when a punctuation expires pending events and when a
 * decision or a repeated event meets an event whose deadline has passed. Immutable; each {@link #schedule} call
 * keeps its own state for one task.
 *
 * <ul>
 *   <li>{@link #eventTime} (the default): the task's stream time, the largest record timestamp it has processed from
 *       either input, events and decisions alike. A decision counts if stream time has not reached its event's
 *       deadline when the decision is processed; with input processed in timestamp order, as Kafka Streams does
 *       across the partitions of a task, that is when the decision is stamped before the deadline. How busy the
 *       machine is does not change which events are decided. Stream time stands still while no input arrives, so a
 *       wall-clock fallback carries it on once it has stood still for a while (see {@link EventTime}).</li>
 *   <li>{@link #wallClock}: the machine's clock. Events expire while no input arrives, but processing lag counts
 *       against the timeout: on a busy machine a decision produced in time is processed after its event's deadline
 *       and becomes late.</li>
 * </ul>
 */
public sealed interface ExpiryClock permits ExpiryClock.EventTime, ExpiryClock.WallClock {

    /**
     * Deadlines judged in stream time, with a wall-clock fallback after {@code idleFallback} of standstill.
     *
     * @param idleFallback how long stream time must stand still before the wall clock carries it on; positive
     * @return the clock
     * @throws IllegalArgumentException if {@code idleFallback} is not positive
     */
    static ExpiryClock eventTime(Duration idleFallback) {
        return new EventTime(idleFallback);
    }

    /** @return deadlines judged by the machine's clock */
    static ExpiryClock wallClock() {
        return new WallClock();
    }

    /**
     * The time a record being processed is judged at. Cost O(1); stream thread only.
     *
     * @param context the processing processor's context
     * @return milliseconds of this clock
     */
    long timeOf(ProcessingContext context);

    /**
     * Schedules the expiry of one task: {@code expire} receives the time up to which deadlines have passed, at least
     * once per {@code interval} of this clock. Call from {@code Processor.init}; the state it keeps belongs to that
     * processor instance, i.e. to one task.
     *
     * @param context  the processor's context
     * @param interval how often to expire
     * @param expire   expires every pending event whose deadline is at or before the time it is given
     */
    void schedule(ProcessingContext context, Duration interval, LongConsumer expire);

    /**
     * The {@code max.task.idle.ms} to run the application with. O(1), any thread.
     *
     * @return how long a task should wait for an input that has nothing buffered before it processes the others
     */
    Duration maxTaskIdle();

    /** How the run's log names this clock. */
    String describe();

    /**
     * Stream time of both inputs. A {@code STREAM_TIME} punctuation expires up to stream time as records advance it.
     * A {@code WALL_CLOCK_TIME} punctuation watches for standstill: once stream time has not moved between two of its
     * runs at least {@code idleFallback} apart, the input counts as idle and expiry runs up to stream time plus the
     * wall-clock time since the first run that found it standing still ({@link IdleFallback}). Counting from that
     * run, not from the last record, keeps a stalled stream thread (a long GC pause, a slow commit) from passing for
     * idle input: after a stall the thread processes what arrived before it punctuates.
     *
     * <p>Judging in stream time needs each task to process its two inputs in timestamp order. Kafka Streams picks the
     * record with the smallest timestamp among a task's partitions, but with {@code max.task.idle.ms=0} (its default)
     * it waits for an input that has nothing buffered only while it knows of data on the broker; what was produced
     * since its last fetch it does not know of, and it races ahead on the other input. On a busy machine fetches are
     * slow, so decisions were processed seconds of event time ahead of their events. {@link #maxTaskIdle} is
     * therefore half the idle fallback: a task waits that long for a silent input, and only a task silent for twice
     * that counts as idle.
     *
     * @param idleFallback how long stream time must stand still before the wall clock carries it on
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
        public long timeOf(ProcessingContext context) {
            return context.currentStreamTimeMs();
        }

        @Override
        public void schedule(ProcessingContext context, Duration interval, LongConsumer expire) {
            context.schedule(interval, PunctuationType.STREAM_TIME, expire::accept);
            IdleFallback fallback = new IdleFallback(idleFallback.toMillis());
            context.schedule(interval, PunctuationType.WALL_CLOCK_TIME,
                wallClockTime -> fallback.expiryTime(context.currentStreamTimeMs(), wallClockTime).ifPresent(expire));
        }

        @Override
        public Duration maxTaskIdle() {
            return idleFallback.dividedBy(2);
        }

        @Override
        public String describe() {
            return "event time (stream time of events and decisions; max.task.idle.ms " + maxTaskIdle().toMillis()
                + "; wall-clock fallback after " + idleFallback.toMillis() + "ms of standstill)";
        }
    }

    /** The machine's clock: a {@code WALL_CLOCK_TIME} punctuation expires up to its own time. */
    record WallClock() implements ExpiryClock {

        @Override
        public long timeOf(ProcessingContext context) {
            return context.currentSystemTimeMs();
        }

        @Override
        public void schedule(ProcessingContext context, Duration interval, LongConsumer expire) {
            context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, expire::accept);
        }

        /** Kafka's default, 0: the order in which inputs are processed does not change the wall clock. */
        @Override
        public Duration maxTaskIdle() {
            return Duration.ZERO;
        }

        @Override
        public String describe() {
            return "wall clock";
        }
    }
}
