package io.bucketmap.examples.risk;

/** The topology's two inputs, in the order they are released at equal timestamps: an event before a decision. */
enum InputKind {
    EVENT,
    DECISION
}
