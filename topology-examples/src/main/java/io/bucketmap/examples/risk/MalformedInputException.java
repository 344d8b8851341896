package io.bucketmap.examples.risk;

/** An input record the topology cannot use; its message is the reason written to the dead-letter record. */
final class MalformedInputException extends Exception {

    MalformedInputException(String reason) {
        super(reason);
    }
}
