package io.bucketmap.core;

/**
 * What {@link BucketMap#checkInvariants()} throws when the map's structures disagree with each other or with the
 * invariants of {@code docs/design.md}: the message names the structure, the position and both sides of the
 * disagreement. A map that throws it is corrupt; the message is for a bug report.
 */
public final class InvariantViolation extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    InvariantViolation(String message) {
        super(message);
    }

    /** Throws an {@link InvariantViolation} with the formatted message unless {@code holds}. */
    static void check(boolean holds, String format, Object... arguments) {
        if (!holds) {
            throw new InvariantViolation(String.format(format, arguments));
        }
    }

    /** The violation with the formatted message, for callers that test the condition themselves (hot loops). */
    static InvariantViolation of(String format, Object... arguments) {
        return new InvariantViolation(String.format(format, arguments));
    }
}
