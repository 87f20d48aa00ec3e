package io.jk8s.kubelet.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key exponential back-off for container restarts (upstream: 10 s doubling to 5 min).
 * A key that has not failed for twice the maximum starts again from the initial delay.
 * Thread-safe; time comes from the injected clock.
 */
public final class Backoff {

    private record Entry(Instant notBefore, Duration delay, Instant lastFailure) {}

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public Backoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    public static Backoff containerRestarts(Clock clock) {
        return new Backoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    /** Remaining wait for {@code key}; zero when it may proceed. */
    public Duration remaining(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), e.notBefore());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Records a failure (a restart) of {@code key}, doubling its delay. */
    public void failed(String key) {
        Instant now = clock.instant();
        entries.compute(key, (k, e) -> {
            Duration delay;
            if (e == null || Duration.between(e.lastFailure(), now).compareTo(max.multipliedBy(2)) > 0) {
                delay = initial;
            } else {
                delay = e.delay().multipliedBy(2).compareTo(max) > 0 ? max : e.delay().multipliedBy(2);
            }
            return new Entry(now.plus(delay), delay, now);
        });
    }

    /** Forgets {@code key} (e.g. the pod is gone). */
    public void forget(String keyPrefix) {
        entries.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }
}
