package io.bucketmap.store;

import io.bucketmap.core.BucketMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The background load of a persistent store's copy: what reads and writes answer while the map is incomplete, what
 * waits for the load, and how it fails and stops. {@link CopyLoadProperties} checks every interleaving of a script
 * against a model; these tests name the cases and run the loader on its own thread.
 */
class CopyLoadTest {
    private final Map<String, String> copy = new ConcurrentHashMap<>();
    private final BucketMap map = BucketMap.ordered();
    private final List<CopyLoad> loads = new ArrayList<>();
    /** A load that the test drives itself, through insert and finish; its source is never read. */
    private final CopyLoad load = loadReading(sink -> {
        throw new AssertionError("this test inserts by hand");
    });

    @AfterEach
    void stopLoaders() {
        loads.forEach(CopyLoad::cancel);
    }

    @Test
    void aKeyNotLoadedYetIsReadFromTheCopy() {
        copy.put("a", "committed");

        assertThat(string(load.get(bytes("a")))).isEqualTo("committed");
        assertThat(load.get(bytes("absent"))).isNull();
    }

    @Test
    void aWriteDuringTheLoadWinsOverTheCopyValueLoadedAfterIt() {
        copy.put("a", "committed");
        load.put(bytes("a"), bytes("written"));

        insert("a", "committed");
        load.finish();

        assertThat(string(map.get(bytes("a")))).isEqualTo("written");
    }

    @Test
    void aKeyDeletedDuringTheLoadIsNotBroughtBackByTheLoader() {
        copy.put("a", "committed");

        assertThat(string(load.delete(bytes("a")))).as("delete returns the copy's value").isEqualTo("committed");
        assertThat(load.get(bytes("a"))).isNull();
        insert("a", "committed");
        load.finish();

        assertThat(map.get(bytes("a"))).isNull();
    }

    /**
     * A reader that saw a write's value must never see the older committed value afterwards: a delete records the key
     * as deleted before it takes it out of the map, so no reader falls back to the copy in between.
     */
    @Test
    void aReaderNeverSeesTheCommittedValueAgainOnceItSawANewerOne() throws InterruptedException {
        int rounds = 5_000;
        for (int i = 0; i < rounds; i++) {
            copy.put("k" + i, "committed");
        }
        AtomicInteger round = new AtomicInteger(-1);
        AtomicInteger roundSeenWritten = new AtomicInteger(-1);
        AtomicReference<String> violation = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int current = 0; current < rounds && violation.get() == null; current++) {
                while (round.get() < current) {
                    Thread.onSpinWait();
                }
                byte[] key = bytes("k" + current);
                while (round.get() == current && violation.get() == null) {
                    String value = string(load.get(key));
                    if ("written".equals(value)) {
                        roundSeenWritten.set(current);
                    } else if ("committed".equals(value) && roundSeenWritten.get() == current) {
                        violation.set("k" + current + " read as committed after it read as written");
                    }
                }
            }
        });
        reader.start();
        for (int i = 0; i < rounds && violation.get() == null; i++) {
            load.put(bytes("k" + i), bytes("written"));
            round.set(i);
            while (roundSeenWritten.get() < i && reader.isAlive()) {
                Thread.onSpinWait();
            }
            load.delete(bytes("k" + i));
            for (int spin = 0; spin < 200; spin++) {
                Thread.onSpinWait(); // the reader reads the deleted key a while longer
            }
        }
        round.set(rounds);
        reader.join();

        assertThat(violation.get()).isNull();
    }

    @Test
    void putIfAbsentOfAKeyNotLoadedYetReturnsTheCopyValueAndLeavesIt() {
        copy.put("a", "committed");

        assertThat(string(load.putIfAbsent(bytes("a"), bytes("other")))).isEqualTo("committed");
        insert("a", "committed");
        load.finish();

        assertThat(string(map.get(bytes("a")))).isEqualTo("committed");
    }

    @Test
    void aPutCannotRuleOutAValueInTheCopyUntilTheLoadIsDone() {
        copy.put("deleted", "committed");
        load.delete(bytes("deleted"));

        assertThat(load.put(bytes("not-loaded"), bytes("v"))).as("a key not loaded yet may be in the copy").isTrue();
        assertThat(load.put(bytes("deleted"), bytes("v"))).as("a key deleted since open has no value").isFalse();
        load.finish();
        assertThat(load.put(bytes("new"), bytes("v"))).as("once done, the map knows").isFalse();
    }

    @Test
    void onceDoneTheMapAloneAnswers() {
        load.finish();
        copy.put("a", "written to the copy after the load");

        assertThat(load.get(bytes("a"))).isNull();
        assertThat(load.delete(bytes("a"))).isNull();
    }

    @Test
    void untilTheLoadIsDoneTheSizeIsAtLeastTheCopysEstimate() {
        CopyLoad estimated = new CopyLoad(map, key -> null, sink -> { }, CopyLoad.AFTER_RESTORATION,
                SharedBackgroundExecutor.get(), "store", null, 1_000);
        estimated.put(bytes("a"), bytes("v"));

        assertThat(estimated.approximateSize()).isEqualTo(1_000);
        estimated.finish();
        assertThat(estimated.approximateSize()).isEqualTo(1);
    }

    @Test
    void awaitingTheLoadStartsItAndReturnsOnlyWhenItIsDone() throws Exception {
        CountDownLatch copyRead = new CountDownLatch(1);
        CopyLoad load = loadReading(sink -> {
            copyRead.await();
            sink.accept(new byte[][] {bytes("a")}, new byte[][] {bytes("committed")}, 1);
        });
        CountDownLatch awaited = new CountDownLatch(1);
        Thread iteratorOpener = new Thread(() -> {
            load.awaitDone();
            awaited.countDown();
        });
        iteratorOpener.start();

        await().until(() -> iteratorOpener.getState() == Thread.State.WAITING);
        assertThat(awaited.getCount()).as("still waiting while the copy is read").isOne();
        copyRead.countDown();
        assertThat(awaited.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(load.isDone()).isTrue();
        assertThat(string(map.get(bytes("a")))).isEqualTo("committed");
    }

    @Test
    void theLoaderStartsOnceWhenAskedAndNeverAfterACancel() {
        AtomicInteger reads = new AtomicInteger();
        CopyLoad load = loadReading(sink -> reads.incrementAndGet());
        CopyLoad cancelled = loadReading(sink -> reads.incrementAndGet());

        assertThat(load.isDone()).as("not started by its creation").isFalse();
        load.start();
        load.start();
        load.awaitDone();
        cancelled.cancel();
        cancelled.start();

        assertThat(reads).as("copies read").hasValue(1);
        assertThatThrownBy(cancelled::awaitDone).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("closed before loading");
    }

    @Test
    void aStartedLoaderReadsNothingBeforeALullInRestoredBatchesUnlessNeededNow() {
        AtomicBoolean read = new AtomicBoolean();
        CopyLoad load = loadReading(sink -> read.set(true),
                new CopyLoad.StartPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60)));
        load.start();
        load.applyRestoredBatch(() -> load.put(bytes("restored"), bytes("v")));

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).untilFalse(read);
        load.startNow();

        await().untilTrue(read);
    }

    @Test
    void aStartedLoaderReadsAfterALullInRestoredBatchesOrWhenItHasWaitedLongEnough() {
        AtomicBoolean afterLull = new AtomicBoolean();
        AtomicBoolean afterMaxWait = new AtomicBoolean();
        CopyLoad lull = loadReading(sink -> afterLull.set(true),
                new CopyLoad.StartPolicy(Duration.ofMillis(20), Duration.ofSeconds(60)));
        CopyLoad impatient = loadReading(sink -> afterMaxWait.set(true),
                new CopyLoad.StartPolicy(Duration.ofSeconds(60), Duration.ofMillis(20)));

        lull.start();
        impatient.start();
        impatient.applyRestoredBatch(() -> { });

        await().untilTrue(afterLull);
        await().untilTrue(afterMaxWait);
    }

    @Test
    void aBatchOfWritesHoldsTheLoaderOffUntilItEnds() {
        AtomicReference<Thread> loaderThread = new AtomicReference<>();
        CopyLoad load = loadReading(sink -> {
            loaderThread.set(Thread.currentThread());
            sink.accept(new byte[][] {bytes("a")}, new byte[][] {bytes("committed")}, 1);
        });
        load.holdingOffTheLoader(() -> {
            load.startNow();
            await().until(() -> loaderThread.get() != null && loaderThread.get().getState() == Thread.State.WAITING);
            load.put(bytes("b"), bytes("written"));

            assertThat(map.get(bytes("a"))).as("nothing inserted during the batch").isNull();
        });
        load.awaitDone();

        assertThat(string(map.get(bytes("a")))).isEqualTo("committed");
        assertThat(string(map.get(bytes("b")))).isEqualTo("written");
    }

    @Test
    void aFailedLoadFailsReadersAsARestoringStoreAndWritersAsACorruptTask() {
        CopyLoad load = new CopyLoad(map, key -> null, sink -> {
            throw new IllegalStateException("corrupt copy");
        }, CopyLoad.AFTER_RESTORATION, SharedBackgroundExecutor.get(), "store", new TaskId(0, 3), 0);
        loads.add(load);
        load.startNow();

        assertThatThrownBy(load::awaitDone).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("store").hasMessageContaining("corrupt copy");
        assertThatThrownBy(() -> load.get(bytes("a"))).isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> load.put(bytes("a"), bytes("v"))).isInstanceOf(TaskCorruptedException.class)
                .satisfies(e -> assertThat(((TaskCorruptedException) e).corruptedTasks()).containsExactly(new TaskId(0, 3)));
        assertThatThrownBy(() -> load.delete(bytes("a"))).isInstanceOf(TaskCorruptedException.class);
        assertThatThrownBy(load::throwIfFailedForWriters).isInstanceOf(TaskCorruptedException.class);
        assertThat(load.failed()).isTrue();
    }

    @Test
    void withoutATaskAFailedLoadFailsWritersWithTheCause() {
        CopyLoad load = loadReading(sink -> {
            throw new IllegalStateException("corrupt copy");
        });
        load.startNow();
        assertThatThrownBy(load::awaitDone).isInstanceOf(InvalidStateStoreException.class);

        assertThatThrownBy(() -> load.put(bytes("a"), bytes("v"))).isInstanceOf(ProcessorStateException.class)
                .hasMessageContaining("store").hasRootCauseMessage("corrupt copy");
    }

    @Test
    void cancelStopsALoadUnderWayAndWaitersLearnTheStoreClosed() {
        AtomicReference<Thread> loaderThread = new AtomicReference<>();
        AtomicBoolean loaderReturned = new AtomicBoolean();
        CopyLoad load = loadReading(sink -> {
            loaderThread.set(Thread.currentThread());
            try {
                new CountDownLatch(1).await(); // a copy that never ends: only an interrupt stops the loader
            } finally {
                loaderReturned.set(true);
            }
        });
        load.startNow();
        await().until(() -> loaderThread.get() != null);

        load.cancel();

        assertThat(loaderReturned).as("the load has stopped when cancel returns").isTrue();
        assertThat(loaderThread.get().isInterrupted()).as("no interrupt left on the executor's thread").isFalse();
        assertThat(load.isDone()).isFalse();
        assertThatThrownBy(load::awaitDone).isInstanceOf(InvalidStateStoreException.class)
                .hasMessageContaining("closed while loading");
    }

    /**
     * The writer and a real loader thread at once: 100,000 copy entries loaded in real batches while the test
     * thread updates, deletes and re-adds keys all over the key space (loaded or not) and reads each back. The
     * loader paces itself on the writer's progress so that the two overlap from the first batch to the last. Every
     * read equals the model, and so does the map at the end.
     */
    @Test
    void writesDuringARealBackgroundLoadAllSurviveIt() {
        int entries = 100_000;
        Map<String, String> model = new HashMap<>();
        byte[][] keys = new byte[entries][];
        byte[][] values = new byte[entries][];
        for (int i = 0; i < entries; i++) {
            String key = String.format("k%06d", i);
            copy.put(key, "committed-" + i);
            model.put(key, "committed-" + i);
            keys[i] = bytes(key);
            values[i] = bytes("committed-" + i);
        }
        AtomicInteger writes = new AtomicInteger();
        int writesPerBatch = 1_000;
        CopyLoad load = loadReading(sink -> {
            for (int start = 0, batch = 0; start < entries; start += CopyLoader.BATCH_ENTRIES, batch++) {
                while (writes.get() < batch * writesPerBatch) {
                    Thread.onSpinWait();
                }
                int end = Math.min(entries, start + CopyLoader.BATCH_ENTRIES);
                sink.accept(Arrays.copyOfRange(keys, start, end), Arrays.copyOfRange(values, start, end), end - start);
            }
        });
        load.startNow();

        Random random = new Random(42);
        int writesWhileLoading = 0;
        for (int i = 0; i < 50_000; i++) {
            writesWhileLoading += load.isDone() ? 0 : 1;
            String key = String.format("k%06d", random.nextInt(entries + 1_000));
            switch (random.nextInt(4)) {
                case 0 -> assertThat(string(load.delete(bytes(key)))).as("delete %s", key)
                        .isEqualTo(model.remove(key));
                case 1 -> assertThat(string(load.putIfAbsent(bytes(key), bytes("absent-" + i))))
                        .as("putIfAbsent %s", key).isEqualTo(model.putIfAbsent(key, "absent-" + i));
                default -> {
                    load.put(bytes(key), bytes("written-" + i));
                    model.put(key, "written-" + i);
                }
            }
            assertThat(string(load.get(bytes(key)))).as("get %s", key).isEqualTo(model.get(key));
            writes.incrementAndGet();
        }
        load.awaitDone();

        assertThat(writesWhileLoading).as("writes made while the loader ran").isGreaterThan(20_000);
        assertThat(map.size()).isEqualTo(model.size());
        model.forEach((key, value) -> assertThat(string(map.get(bytes(key)))).as(key).isEqualTo(value));
    }

    private CopyLoad loadReading(CopyLoad.Source source) {
        return loadReading(source, CopyLoad.AFTER_RESTORATION);
    }

    private CopyLoad loadReading(CopyLoad.Source source, CopyLoad.StartPolicy startPolicy) {
        CopyLoad created = new CopyLoad(map, key -> bytes(copy.get(string(key))), source, startPolicy,
                SharedBackgroundExecutor.get(), "store", null, 0);
        loads.add(created);
        return created;
    }

    private void insert(String key, String value) {
        load.insert(new byte[][] {bytes(key)}, new byte[][] {bytes(value)}, 1);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
