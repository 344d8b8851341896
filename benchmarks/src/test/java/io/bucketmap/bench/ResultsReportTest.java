package io.bucketmap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's scan, restore and end-to-end sections and their targets, from a hand-made run directory. */
class ResultsReportTest {
    private static final String JMH_HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
            + "\"Score Error (99.9%)\",\"Unit\",\"Param: contender\",\"Param: size\"\n";

    @TempDir
    Path runDir;

    @Test
    void ratiosAgainstTheInMemoryStoreAreJudgedAsSpeedupsOnTheStoreLevelContender() throws IOException {
        write("jmh.csv", JMH_HEADER);
        write("growth.csv", GrowthLatency.HEADER + "\n");
        write("heap.csv", RetainedHeap.HEADER + "\n");
        write("machine.md", "## Machine and JVM\n");
        write("jmh-scan-delete.csv", JMH_HEADER
                + jmhRow("ScanDeleteBenchmark.sweep", 10.0, "BUCKETMAP_STORE_ORDERED")
                + jmhRow("ScanDeleteBenchmark.sweep", 60.0, "IN_MEMORY_STORE"));
        write("jmh-range.csv", JMH_HEADER
                + jmhRow("RangeScanBenchmark.range", 50.0, "BUCKETMAP_STORE_ORDERED")
                + jmhRow("RangeScanBenchmark.range", 100.0, "IN_MEMORY_STORE"));
        write("restore.csv", RestoreRate.HEADER + "\n"
                + "BUCKETMAP_STORE_ORDERED,1000000,100000,1000,3,250,240,260\n"
                + "IN_MEMORY_STORE,1000000,100000,1000,3,1000,990,1010\n");
        write("end-to-end.csv", EndToEndThroughput.HEADER + "\n"
                + "BUCKETMAP_STORE_ORDERED,STORE_SCAN,100000,180000,5.000\n"
                + "IN_MEMORY_STORE,STORE_SCAN,100000,180000,10.000\n");
        Path report = runDir.resolve("report.md");

        ResultsReport.main(new String[] {runDir.toString(), report.toString(), "quick"});

        String text = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(text)
                .contains("| punctuator sweep (scan all, delete 10%) at least 5x faster than the in-memory store "
                        + "| 6.00 (met) | - | - | - |")
                .contains("| range scan of 1,000 keys at least 3x faster than the in-memory store | 2.00 (missed) |")
                .contains("| changelog restore at least 3x the in-memory store's records/s | 4.00 (met) |")
                .contains("| BucketMap store ordered | 1,000,000 | 100,000 | 4,000,000 | 3,846,154 | 4,166,667 | 4.00 |")
                .contains("| BucketMap store ordered | 20,000 | 2.00 |");
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(runDir.resolve(file), content, StandardCharsets.UTF_8);
    }

    private static String jmhRow(String benchmark, double score, String contender) {
        return "\"io.bucketmap.bench." + benchmark + "\",\"avgt\",1,2," + score + ",NaN,\"ms/op\"," + contender
                + ",1000000\n";
    }
}
