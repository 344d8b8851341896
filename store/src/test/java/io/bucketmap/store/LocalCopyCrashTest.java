package io.bucketmap.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash never leaves the local copy between two commits: a child JVM ({@link CommitLoop}) commits in a loop and is
 * killed with SIGKILL at a random moment, mid-commit or between commits; the reopened copy must hold exactly the
 * data of one commit and that commit's offset, never a mix, and never an older commit than the previous crash left:
 * commits are written in the background, a commit that finds the writer busy is written by a later one
 * ({@link CopyWriter}), so the copy may lag the last commit the child reported, but never goes back.
 * Five crashes in a row on the same directory, each child resuming from what the previous one left.
 */
@RequiresKafkaStreams("4.3")
class LocalCopyCrashTest {
    private static final int CRASHES = 5;

    @TempDir
    File stateDir;

    @Test
    void aKilledProcessLeavesTheCopyAtItsLastCommitWithThatCommitsOffset() throws Exception {
        long lastSeen = 0;
        for (int crash = 1; crash <= CRASHES; crash++) {
            long reported = runAndKill(lastSeen + 3, "crash-" + crash + ".out");

            BucketMapKeyValueStore reopened = CommitLoop.open(stateDir);
            try {
                Long offset = reopened.committedOffset(CommitLoop.CHANGELOG);
                long committed = offset == null ? 0 : offset; // null: no write had landed yet
                assertThat(committed).as("offset after crash %d (the child reported %d)", crash, reported)
                        .isGreaterThanOrEqualTo(lastSeen);
                if (committed == 0) {
                    assertThat(reopened.approximateNumEntries()).as("a copy that no commit reached").isZero();
                } else {
                    assertHoldsExactlyCommit(reopened, committed);
                }
                lastSeen = committed;
            } finally {
                reopened.close();
            }
        }
        assertThat(lastSeen).as("commits that reached the copy over %d crashes", CRASHES).isPositive();
    }

    /** Starts the child, waits until it reports commit {@code atLeast}, lets it run a few ms more, kills it. */
    private long runAndKill(long atLeast, String outputName) throws IOException, InterruptedException {
        Path output = stateDir.toPath().resolve(outputName);
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CommitLoop.class.getName(), stateDir.getPath())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await("child reported commit " + atLeast).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("child exited, output in " + output, () -> !child.isAlive())
                    .until(() -> lastReported(output) >= atLeast);
            // pacing, not waiting for a condition: the kill must land at a random point of the commit loop (a write
            // of one commit takes some tens of milliseconds, so most kills land after some write did)
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(200));
            long reported = lastReported(output);
            child.destroyForcibly();
            child.waitFor();
            return reported;
        } finally {
            child.destroyForcibly();
        }
    }

    private static long lastReported(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("committed ")) {
                return Long.parseLong(lines.get(i).substring("committed ".length()));
            }
        }
        return 0;
    }

    private static void assertHoldsExactlyCommit(BucketMapKeyValueStore store, long commit) {
        String value = Long.toString(commit);
        List<String> wrong = new ArrayList<>();
        int keys = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                String key = new String(entry.key.get(), StandardCharsets.UTF_8);
                String stored = new String(entry.value, StandardCharsets.UTF_8);
                if (key.startsWith("extra-") ? !key.equals("extra-" + commit) || !stored.equals(value)
                        : !stored.equals(value)) {
                    wrong.add(key + "=" + stored);
                }
                keys++;
            }
        }
        assertThat(wrong).as("entries not of commit %d", commit).isEmpty();
        assertThat(keys).isEqualTo(CommitLoop.KEYS + 1);
    }
}
