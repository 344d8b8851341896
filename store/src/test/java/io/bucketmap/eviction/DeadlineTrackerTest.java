package io.bucketmap.eviction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class DeadlineTrackerTest {

    private final TrackerStores stores = newStores();
    private final DeadlineTracker<String, String> tracker = stores.tracker();
    private final List<String> expired = new ArrayList<>();

    /** The stores every test runs on: Kafka's in-memory stores here. */
    TrackerStores newStores() {
        return new TrackerStores();
    }

    private int expireAt(long now) {
        return tracker.expire(now, this::record);
    }

    private void record(String id, String value, long deadline) {
        expired.add(id + "=" + value + "@" + deadline);
    }

    @Test
    void aTrackedEntryIsPendingUntilCompleted() {
        assertThat(tracker.track("a", "v", 100)).isTrue();
        assertThat(tracker.get("a")).isEqualTo("v");
        assertThat(tracker.approximatePendingCount()).isEqualTo(1);

        assertThat(tracker.complete("a")).isEqualTo("v");

        assertThat(tracker.get("a")).isNull();
        assertThat(stores.pending.approximateNumEntries()).isZero();
        assertThat(stores.rawIndex.approximateNumEntries()).isZero();
    }

    @Test
    void aCompletedEntryNeverExpires() {
        tracker.track("a", "v", 100);
        tracker.complete("a");

        assertThat(expireAt(1_000)).isZero();
        assertThat(expired).isEmpty();
    }

    @Test
    void completingAnIdThatIsNotPendingReturnsNullAndChangesNothing() {
        tracker.track("a", "v", 100);

        assertThat(tracker.complete("b")).isNull();
        assertThat(tracker.get("a")).isEqualTo("v");
    }

    @Test
    void trackingAnIdThatIsAlreadyPendingIsRefusedAndKeepsTheFirstEntry() {
        tracker.track("a", "first", 100);

        assertThat(tracker.track("a", "second", 50)).isFalse();

        assertThat(expireAt(99)).isZero();
        assertThat(expireAt(100)).isEqualTo(1);
        assertThat(expired).containsExactly("a=first@100");
    }

    @Test
    void expireHandsOverEntriesAtOrBeforeNowInDeadlineOrderAndKeepsLaterOnes() {
        tracker.track("late", "v", 101);
        tracker.track("b", "v", 100);
        tracker.track("a", "v", 100);
        tracker.track("early", "v", 7);

        assertThat(expireAt(100)).isEqualTo(3);

        assertThat(expired).containsExactly("early=v@7", "a=v@100", "b=v@100");
        assertThat(tracker.get("late")).isEqualTo("v");
        assertThat(stores.pending.approximateNumEntries()).isEqualTo(1);
        assertThat(stores.rawIndex.approximateNumEntries()).isEqualTo(1);
    }

    @Test
    void negativeDeadlinesExpireBeforePositiveOnes() {
        tracker.track("positive", "v", 5);
        tracker.track("minimum", "v", Long.MIN_VALUE);
        tracker.track("negative", "v", -5);

        expireAt(5);

        assertThat(expired).containsExactly("minimum=v@" + Long.MIN_VALUE, "negative=v@-5", "positive=v@5");
    }

    @Test
    void expireAtTheLargestTimeExpiresEverything() {
        tracker.track("a", "v", Long.MAX_VALUE);
        tracker.track("b", "v", 0);

        assertThat(expireAt(Long.MAX_VALUE)).isEqualTo(2);
    }

    @Test
    void anEmptyIdDueOneMillisecondLaterIsNotExpired() {
        tracker.track("", "v", 101);

        assertThat(expireAt(100)).isZero();
        assertThat(expireAt(101)).isEqualTo(1);
        assertThat(expired).containsExactly("=v@101");
    }

    @Test
    void expireReadsOnlyExpiredIndexEntriesHoweverManyArePending() {
        for (int i = 0; i < 10_000; i++) {
            tracker.track("future-" + i, "v", 1_000 + i);
        }
        for (int i = 0; i < 10; i++) {
            tracker.track("due-" + i, "v", i);
        }

        assertThat(expireAt(999)).isEqualTo(10);

        assertThat(stores.indexEntriesRead.get()).isEqualTo(10);
    }

    @Test
    void aThrowingHandlerLeavesTheEntryPendingForTheNextExpiry() {
        tracker.track("a", "v", 10);

        assertThatThrownBy(() -> tracker.expire(10, (id, value, deadline) -> {
            throw new IllegalStateException("downstream failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(tracker.get("a")).isEqualTo("v");
        assertThat(expireAt(10)).isEqualTo(1);
    }

    @Test
    void entriesTrackedByTheHandlerDuringExpiryExpireOnlyIfDueAndAtMostOnce() {
        for (int i = 0; i < 100; i++) {
            tracker.track("old-" + i, "v", i);
        }
        List<String> seen = new ArrayList<>();

        int count = tracker.expire(1_000, (id, value, deadline) -> {
            seen.add(id);
            if (id.startsWith("old-")) {
                tracker.track("future-" + id, "v", 5_000);
                tracker.track("due-" + id, "v", 500);
            }
        });

        assertThat(seen).doesNotHaveDuplicates().noneMatch(id -> id.startsWith("future-"));
        assertThat(seen).filteredOn(id -> id.startsWith("old-")).hasSize(100);
        assertThat(count).isEqualTo(seen.size());
        expireAt(1_000);
        assertThat(seen.size() + expired.size()).isEqualTo(200);
        assertThat(stores.pending.approximateNumEntries()).isEqualTo(100);
    }

    @Test
    void expireIfDueExpiresAnEntryWhoseDeadlineIsAtOrBeforeNowAndNothingElse() {
        tracker.track("due", "v", 100);
        tracker.track("other", "v", 50);

        assertThat(tracker.expireIfDue("due", 100, this::record)).isTrue();

        assertThat(expired).containsExactly("due=v@100");
        assertThat(tracker.get("due")).isNull();
        assertThat(tracker.get("other")).isEqualTo("v");
        assertThat(stores.rawIndex.approximateNumEntries()).isEqualTo(1);
        assertThat(expireAt(100)).isEqualTo(1);
        assertThat(expired).containsExactly("due=v@100", "other=v@50");
    }

    @Test
    void expireIfDueLeavesAnEntryThatIsNotYetDuePendingAndCompletable() {
        tracker.track("a", "v", 100);

        assertThat(tracker.expireIfDue("a", 99, this::record)).isFalse();

        assertThat(expired).isEmpty();
        assertThat(tracker.complete("a")).isEqualTo("v");
    }

    @Test
    void expireIfDueOnAnIdThatIsNotPendingChangesNothing() {
        tracker.track("a", "v", 10);
        tracker.complete("a");

        assertThat(tracker.expireIfDue("a", 1_000, this::record)).isFalse();
        assertThat(tracker.expireIfDue("never", 1_000, this::record)).isFalse();

        assertThat(expired).isEmpty();
    }

    @Test
    void anEntryExpiredByExpireIfDueIsNeitherCompletedNorExpiredAgain() {
        tracker.track("a", "v", 10);
        tracker.expireIfDue("a", 10, this::record);

        assertThat(tracker.complete("a")).isNull();
        assertThat(expireAt(1_000)).isZero();
        assertThat(expired).containsExactly("a=v@10");
    }

    @Test
    void aHandlerThrowingInExpireIfDueLeavesTheEntryPending() {
        tracker.track("a", "v", 10);

        assertThatThrownBy(() -> tracker.expireIfDue("a", 10, (id, value, deadline) -> {
            throw new IllegalStateException("downstream failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(tracker.get("a")).isEqualTo("v");
        assertThat(expireAt(10)).isEqualTo(1);
    }

    @Test
    void anIndexEntryWithoutAMatchingPendingEntryIsDroppedWithoutCallingTheHandler() {
        tracker.track("a", "v", 50);
        stores.rawIndex.put(Bytes.wrap(DeadlineCodec.indexKey(10, "orphan".getBytes())), new byte[0]);
        stores.rawIndex.put(Bytes.wrap(DeadlineCodec.indexKey(20, "a".getBytes())), new byte[0]);

        assertThat(expireAt(30)).isZero();
        assertThat(stores.rawIndex.approximateNumEntries()).isEqualTo(1);

        assertThat(expireAt(50)).isEqualTo(1);
        assertThat(expired).containsExactly("a=v@50");
    }
}
