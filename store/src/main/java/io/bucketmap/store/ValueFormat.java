package io.bucketmap.store;

/**
 * The value layout a bucket-map store declares to Kafka Streams, so that Kafka's builders wrap no converting adapter
 * around it: the same three layouts as Kafka's {@code DslStoreFormat} (Kafka Streams 4.3 and newer), kept as a type of
 * this library so that a plain or timestamped store, which Kafka Streams 4.0 to 4.2 can use, never loads a class those
 * versions lack.
 */
public enum ValueFormat {
    /** The value as serialized. */
    PLAIN,
    /** {@code [8-byte timestamp][value]}: the store is a {@code TimestampedBytesStore}. */
    TIMESTAMPED,
    /** {@code [varint headers size][headers][8-byte timestamp][value]}: the store is a {@code HeadersBytesStore}. */
    HEADERS
}
