package io.jk8s.controllers.runtime;

import java.util.function.IntPredicate;

/**
 * Creates in batches of 1, 2, 4 ... and stops at the first batch with a failure, so that a
 * controller facing a failing API (quota, admission) issues a handful of calls, not thousands
 * (upstream slowStartBatch).
 */
public final class SlowStart {

    private SlowStart() {
    }

    /**
     * Calls {@code createOne} for indices {@code 0..count-1} in doubling batches run in parallel
     * virtual threads. Returns how many succeeded; skipped ones were never tried.
     */
    public static int run(int count, int initialBatch, IntPredicate createOne) {
        int done = 0;
        int ok = 0;
        int batch = Math.min(count, initialBatch);
        while (batch > 0) {
            final int start = done;
            final int size = batch;
            var results = new java.util.concurrent.atomic.AtomicInteger();
            try (var exec = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < size; i++) {
                    final int idx = start + i;
                    exec.execute(() -> {
                        if (createOne.test(idx)) results.incrementAndGet();
                    });
                }
            }
            ok += results.get();
            done += size;
            if (results.get() < size) break;
            batch = Math.min(2 * batch, count - done);
        }
        return ok;
    }
}
