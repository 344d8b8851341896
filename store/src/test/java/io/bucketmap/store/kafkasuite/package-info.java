/**
 * Kafka's own key-value store suite ({@code AbstractKeyValueStoreTest}) with the two test fixtures it needs
 * ({@code KeyValueStoreTestDriver}, {@code InternalMockProcessorContext}), copied from the Apache Kafka 4.3.1 test
 * sources ({@code kafka-streams:4.3.1:jar:test-sources}, Apache License 2.0) and compiled against Kafka 4.4.0.
 *
 * <p>Why a copy: Kafka publishes no test jar for 4.4.0, and the 4.3.1 test jar does not link against the 4.4.0
 * runtime (4.4.0 moved {@code org.apache.kafka.common.utils.LogContext} and {@code Exit} into
 * {@code ...utils.internals}). The test methods are unchanged; the only edits are the package, the
 * {@code LogContext} import, and a plain JDK temporary state directory instead of {@code TestUtils.tempDirectory()};
 * each file's header names its own (Apache License 2.0, section 4(b)), and the project's {@code NOTICE} carries
 * Kafka's attribution. When Kafka publishes a test jar again, delete this package and extend Kafka's class.
 */
package io.bucketmap.store.kafkasuite;
