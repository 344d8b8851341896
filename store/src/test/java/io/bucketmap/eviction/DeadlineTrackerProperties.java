package io.bucketmap.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DeadlineTrackerProperties {

    /**
     * One step: track id with a deadline relative to the clock, complete id, expire id alone if due, or move the
     * clock and expire.
     */
    record Step(int kind, int id, int delta) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 30),
                Arbitraries.integers().between(-5, 40))
            .as(Step::new);
        return step.list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void everyTrackedEntryLeavesExactlyOnceByCompletionOrExpiryAtOrAfterItsDeadline(
        @ForAll("steps") List<Step> steps) {
        TrackerStores stores = new TrackerStores();
        DeadlineTracker<String, String> tracker = stores.tracker();
        Map<String, Long> model = new HashMap<>();
        List<String> left = new ArrayList<>();
        int trackedCount = 0;
        long clock = 0;

        for (Step step : steps) {
            String id = "id-" + step.id();
            switch (step.kind()) {
                case 0 -> {
                    boolean tracked = tracker.track(id, "v-" + id, clock + step.delta());
                    assertThat(tracked).isEqualTo(!model.containsKey(id));
                    if (tracked) {
                        model.put(id, clock + step.delta());
                        trackedCount++;
                    }
                }
                case 1 -> {
                    String value = tracker.complete(id);
                    assertThat(value).isEqualTo(model.containsKey(id) ? "v-" + id : null);
                    if (model.remove(id) != null) {
                        left.add(id);
                    }
                }
                case 2 -> {
                    long now = clock;
                    boolean due = model.containsKey(id) && model.get(id) <= now;
                    boolean expired = tracker.expireIfDue(id, now, (expiredId, value, deadline) -> {
                        assertThat(expiredId).isEqualTo(id);
                        assertThat(model.remove(expiredId)).isEqualTo(deadline);
                        assertThat(value).isEqualTo("v-" + expiredId);
                        left.add(expiredId);
                    });
                    assertThat(expired).isEqualTo(due);
                }
                default -> {
                    clock += Math.max(0, step.delta());
                    long now = clock;
                    List<Long> deadlines = new ArrayList<>();
                    tracker.expire(now, (expiredId, value, deadline) -> {
                        assertThat(model.remove(expiredId)).isEqualTo(deadline);
                        assertThat(deadline).isLessThanOrEqualTo(now);
                        assertThat(value).isEqualTo("v-" + expiredId);
                        deadlines.add(deadline);
                        left.add(expiredId);
                    });
                    assertThat(deadlines).isSorted();
                    assertThat(model.values()).allMatch(deadline -> deadline > now);
                }
            }
        }
        tracker.expire(Long.MAX_VALUE, (expiredId, value, deadline) -> {
            model.remove(expiredId);
            left.add(expiredId);
        });

        assertThat(model).isEmpty();
        assertThat(left).hasSize(trackedCount);
        assertThat(stores.pending.approximateNumEntries()).isZero();
        assertThat(stores.rawIndex.approximateNumEntries()).isZero();
    }
}
