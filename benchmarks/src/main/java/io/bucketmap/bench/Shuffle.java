package io.bucketmap.bench;

import java.util.SplittableRandom;

/** Seeded random permutations, so every contender is asked for the same keys in the same order. */
final class Shuffle {
    private Shuffle() {
    }

    /** The numbers {@code 0..n-1} in a random order fixed by {@code seed} (Fisher-Yates). O(n) time and memory. */
    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
