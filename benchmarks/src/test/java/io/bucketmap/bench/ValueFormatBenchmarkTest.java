package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.kafka.streams.processor.StateStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The stacks {@link ValueFormatBenchmark} measures: an adapter exactly where the store declares no format. */
class ValueFormatBenchmarkTest {

    @ParameterizedTest
    @EnumSource(ValueFormatBenchmark.Case.class)
    void aConvertingAdapterStandsInTheStackExactlyWhenTheStoreDeclaresNoFormat(ValueFormatBenchmark.Case format,
                                                                              @TempDir Path stateDir) {
        StateStore store = ValueFormatBenchmark.build(format, stateDir);
        try {
            boolean adapted = ValueFormatBenchmark.layers(store).stream().anyMatch(name -> name.contains("Adapter"));
            boolean nativeFormat = format == ValueFormatBenchmark.Case.TIMESTAMPED_NATIVE
                || format == ValueFormatBenchmark.Case.HEADERS_NATIVE;
            assertThat(adapted).as("%s", ValueFormatBenchmark.layers(store)).isEqualTo(!nativeFormat);
        } finally {
            store.close();
        }
    }
}
