package io.jk8s.apiserver.storage;

import io.jk8s.api.ApiException;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.apiserver.watch.CachedObject;
import io.jk8s.apiserver.watch.WatchFilter;
import io.jk8s.registry.KindStrategy;
import io.jk8s.store.CompactedException;
import io.jk8s.store.KeyValue;
import io.jk8s.store.RangeResult;
import io.jk8s.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists, served from the watch cache when the request allows it (no pagination; resourceVersion
 * unset = consistent, "0" = any, N = not older than N) and from the store otherwise
 * (limit/continue pages, resourceVersionMatch=Exact), as upstream's cacher decides.
 */
public final class ListService {

    /** How long a list waits for the cache to catch up before giving up on it. */
    private static final long FRESHNESS_WAIT_MS = 3_000;

    private final Store store;
    private final CacheHub cache;

    public ListService(Store store, CacheHub cache) {
        this.store = store;
        this.cache = cache;
    }

    public ListResult list(KindStrategy s, String namespace, ListQuery q) {
        ResourceType t = s.type();
        String prefix = Keys.prefix(t, namespace);
        WatchFilter filter = filter(s, q);
        boolean exact = "Exact".equals(q.resourceVersionMatch());
        if (q.continueToken() != null) {
            ContinueToken tok = ContinueToken.decode(q.continueToken());
            if (!tok.nextKey().startsWith(prefix)) {
                throw ApiException.badRequest("continue key is not valid: it belongs to another list");
            }
            return fromStore(prefix, tok.nextKey(), tok.revision(), q, filter, true);
        }
        if (exact) {
            if (q.resourceVersion() == null || q.revisionOrZero() == 0) {
                throw ApiException.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\" or unset");
            }
            return fromStore(prefix, null, q.revisionOrZero(), q, filter, false);
        }
        if (q.resourceVersion() == null && q.limit() > 0) {
            return fromStore(prefix, null, 0, q, filter, false);
        }
        long want = q.resourceVersion() == null ? store.currentRevision() : q.revisionOrZero();
        if (want > 0 && !cache.awaitRevision(want, FRESHNESS_WAIT_MS)) {
            if (q.resourceVersion() == null) {
                return fromStore(prefix, null, 0, q, filter, false);
            }
            throw new ApiException(504, "Timeout", "Too large resource version: " + want + ", current: " + cache.revision(),
                    null, null, null, List.of(), 1);
        }
        CacheHub.Snapshot snap = cache.list(t.groupResource(), prefix);
        List<CachedObject> items = snap.objects();
        if (filter != null) {
            List<CachedObject> kept = new ArrayList<>(items.size());
            for (CachedObject o : items) {
                if (filter.matches(o)) kept.add(o);
            }
            items = kept;
        }
        return new ListResult(items, snap.revision(), null, null);
    }

    private ListResult fromStore(String prefix, String fromKey, long revision, ListQuery q, WatchFilter filter, boolean continuing) {
        List<CachedObject> items = new ArrayList<>();
        long limit = q.limit();
        String from = fromKey;
        long rev = revision;
        String nextKey = null;
        try {
            while (true) {
                int pageSize = limit > 0 ? (int) Math.min(Math.max(limit - items.size(), 1), 10_000) : 0;
                RangeResult page = store.range(prefix, from, pageSize, rev);
                rev = page.revision();
                for (KeyValue kv : page.kvs()) {
                    if (limit > 0 && items.size() == limit) {
                        nextKey = kv.key();
                        break;
                    }
                    CachedObject o = CachedObject.of(kv.key(), kv.value(), kv.modRevision());
                    if (filter == null || filter.matches(o)) items.add(o);
                }
                if (nextKey != null || !page.more() || page.kvs().isEmpty()) {
                    if (nextKey == null && page.more() && !page.kvs().isEmpty()) {
                        nextKey = page.kvs().get(page.kvs().size() - 1).key() + "\0";
                    }
                    break;
                }
                from = page.kvs().get(page.kvs().size() - 1).key() + "\0";
                if (limit > 0 && items.size() == limit) {
                    nextKey = from;
                    break;
                }
            }
            Long remaining = null;
            if (nextKey != null && filter == null) {
                remaining = (long) store.range(prefix, nextKey, 0, rev).kvs().size();
                if (remaining == 0) {
                    nextKey = null;
                    remaining = null;
                }
            }
            String token = nextKey == null ? null : new ContinueToken(nextKey, rev).encode();
            return new ListResult(items, rev, token, remaining);
        } catch (CompactedException e) {
            throw ApiException.gone(continuing
                    ? "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
                    : "too old resource version: " + revision + " (" + e.compactRevision() + ")");
        }
    }

    /** Label/field selector filter, or null when the query selects everything. */
    public static WatchFilter filter(KindStrategy s, ListQuery q) {
        boolean noLabels = q.labels().isEmpty();
        boolean noFields = q.fields().isEmpty();
        if (noLabels && noFields) return null;
        return o -> {
            if (!noLabels && !q.labels().matches(o.labels())) return false;
            if (!noFields) {
                Map<String, String> fields = o.fields(s::selectableFields);
                return q.fields().matches(f -> {
                    String v = fields.get(f);
                    if (v != null) return v;
                    return switch (f) {
                        case "metadata.name" -> o.name();
                        case "metadata.namespace" -> o.namespace();
                        default -> null;
                    };
                });
            }
            return true;
        };
    }
}
