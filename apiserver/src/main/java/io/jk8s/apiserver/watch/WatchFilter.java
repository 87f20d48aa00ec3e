package io.jk8s.apiserver.watch;

/** Which objects a watcher wants (label/field selectors, namespace). Must be cheap and thread-safe. */
@FunctionalInterface
public interface WatchFilter {
    boolean matches(CachedObject object);
}
