package io.jk8s.cli.join;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lets the agent's heap shrink back after a burst. The agent runs on the Serial collector (the launcher's choice for a
 * small footprint), which sizes the old generation only at a full collection; after pods start, the old generation is
 * full of dead objects and stays at its burst size until enough is promoted to force one, which on a quiet node can
 * take many minutes (measured: 36 MB old generation holding 24 MB live, 7 MiB of RSS given back by one collection).
 * G1, which the server uses, has periodic collections for this ({@code G1PeriodicGCInterval}); Go, which upstream's
 * kubelet is written in, forces a collection every two minutes. This does the same for Serial: when no full
 * collection ran for an interval and at least {@link #MIN_PROMOTED_BYTES} were promoted since the last one, it asks
 * for one ({@link System#gc()}: a stop-the-world collection of a ~25 MB heap, a few tens of milliseconds).
 */
final class IdleHeapCollector implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(15);
    /** Less than this promoted since the last full collection: too little garbage to be worth a collection. */
    static final long MIN_PROMOTED_BYTES = 1L << 20;

    private final GarbageCollectorMXBean oldCollector;
    private final MemoryPoolMXBean oldGeneration;
    private final ScheduledExecutorService timer;
    private long collectionsAtLastCheck;

    private IdleHeapCollector(GarbageCollectorMXBean oldCollector, MemoryPoolMXBean oldGeneration) {
        this.oldCollector = oldCollector;
        this.oldGeneration = oldGeneration;
        this.collectionsAtLastCheck = oldCollector.getCollectionCount();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jk8s-idle-heap-collector");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts when this JVM runs the Serial collector (whose old generation has no periodic collection); else empty. */
    static Optional<IdleHeapCollector> startIfSerial() {
        GarbageCollectorMXBean collector = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(c -> c.getName().equals("MarkSweepCompact")).findFirst().orElse(null);
        MemoryPoolMXBean pool = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Tenured Gen")).findFirst().orElse(null);
        return collector == null || pool == null ? Optional.empty() : Optional.of(new IdleHeapCollector(collector, pool));
    }

    private void check() {
        long collections = oldCollector.getCollectionCount();
        MemoryUsage afterLastCollection = oldGeneration.getCollectionUsage();
        long promoted = oldGeneration.getUsage().getUsed() - (afterLastCollection == null ? 0 : afterLastCollection.getUsed());
        if (shouldCollect(collectionsAtLastCheck, collections, promoted)) {
            System.gc();
            collections = oldCollector.getCollectionCount();
        }
        collectionsAtLastCheck = collections;
    }

    /**
     * A full collection is due when none ran since the last check (one interval ago) and enough was promoted into the
     * old generation since the last one to leave garbage worth giving back.
     */
    static boolean shouldCollect(long collectionsAtLastCheck, long collectionsNow, long promotedSinceLastCollection) {
        return collectionsNow == collectionsAtLastCheck && promotedSinceLastCollection >= MIN_PROMOTED_BYTES;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
