package io.jk8s.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.jk8s.store.CompactedException;
import io.jk8s.store.KeyValue;
import io.jk8s.store.RangeResult;
import io.jk8s.store.Store;
import io.jk8s.store.StoreException;
import io.jk8s.store.ValueTooLargeException;
import io.jk8s.store.WatchListener;
import io.jk8s.store.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Store} on an etcd v3 cluster, through jetcd. Conditional writes are single transactions
 * comparing the key's mod_revision (or version 0 for create), so etcd itself arbitrates races; a
 * failed comparison reads the current value in the same transaction.
 *
 * <p>An optional key prefix (jetcd's namespace) lets several stores share one cluster; note that
 * revisions and compaction are cluster-wide in etcd, so {@link #compact} affects every prefix.
 */
public final class EtcdStore implements Store {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** A key nobody writes: a cheap way to learn the current revision and the compaction point. */
    private static final ByteSequence PROBE = bytes("\u0000jk8s-probe");

    private final Client client;
    private final KV kv;
    private final Watch watchClient;
    private final List<EtcdWatch> watches = new CopyOnWriteArrayList<>();
    private final AtomicLong knownCompactRevision = new AtomicLong();

    private EtcdStore(Client client) {
        this.client = client;
        this.kv = client.getKVClient();
        this.watchClient = client.getWatchClient();
    }

    /** Connects to the cluster at {@code endpoints} (e.g. {@code http://127.0.0.1:2379}). */
    public static EtcdStore connect(List<String> endpoints) {
        return connect(endpoints, "");
    }

    /** Connects, keeping every key under {@code keyPrefix} on the cluster (invisible to callers). */
    public static EtcdStore connect(List<String> endpoints, String keyPrefix) {
        return connect(endpoints, keyPrefix, null);
    }

    /** As {@link #connect(List, String)} with a gRPC load-balancing policy (tests pin "pick_first" to one member). */
    static EtcdStore connect(List<String> endpoints, String keyPrefix, String loadBalancerPolicy) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoints given");
        }
        ClientBuilder b = Client.builder()
                .endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(Duration.ofSeconds(5))
                .keepaliveTime(Duration.ofSeconds(10))
                .keepaliveTimeout(Duration.ofSeconds(5))
                .maxInboundMessageSize(64 << 20);
        if (!keyPrefix.isEmpty()) {
            b.namespace(bytes(keyPrefix));
        }
        if (loadBalancerPolicy != null) {
            b.loadBalancerPolicy(loadBalancerPolicy);
        }
        EtcdStore store = new EtcdStore(b.build());
        try {
            store.currentRevision();
        } catch (StoreException e) {
            store.close();
            throw new StoreException("cannot reach etcd at " + endpoints + ": " + e.getMessage(), e);
        }
        return store;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion());
    }

    // --- reads ----------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        return await(kv.get(PROBE, GetOption.builder().withCountOnly(true).build()), 0).getHeader().getRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        GetResponse r = await(kv.get(bytes(key)), 0);
        return r.getKvs().isEmpty() ? Optional.empty() : Optional.of(toKeyValue(r.getKvs().getFirst()));
    }

    @Override
    public RangeResult range(String prefix, String fromKey, int limit, long revision) {
        String start = fromKey == null || fromKey.compareTo(prefix) < 0 ? prefix : fromKey;
        GetOption.Builder opt = GetOption.builder().withRange(prefixEnd(prefix)).withRevision(revision);
        if (limit > 0) {
            opt.withLimit(limit);
        }
        GetResponse r = await(kv.get(bytes(start), opt.build()), revision);
        List<KeyValue> kvs = new ArrayList<>(r.getKvs().size());
        for (io.etcd.jetcd.KeyValue k : r.getKvs()) {
            kvs.add(toKeyValue(k));
        }
        return new RangeResult(kvs, r.isMore(), revision == 0 ? r.getHeader().getRevision() : revision);
    }

    @Override
    public long count(String prefix) {
        GetOption opt = GetOption.builder().withRange(prefixEnd(prefix)).withCountOnly(true).build();
        return await(kv.get(bytes(prefix), opt), 0).getCount();
    }

    /** etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. */
    static ByteSequence prefixEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteSequence.from(end);
            }
        }
        return ByteSequence.from(new byte[] {0}); // "every key from here on"
    }

    // --- writes ---------------------------------------------------------------------------------

    @Override
    public WriteResult create(String key, byte[] value) {
        checkSize(key, value);
        ByteSequence k = bytes(key);
        TxnResponse r = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!r.isSucceeded()) {
            return failed(r);
        }
        long rev = r.getHeader().getRevision();
        return new WriteResult.Ok(new KeyValue(key, value.clone(), rev, rev, 1));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        checkSize(key, value);
        ByteSequence k = bytes(key);
        TxnResponse r = await(kv.txn()
                // version > 0 as well: mod_revision of an absent key is 0, which must not match.
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)),
                    new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!r.isSucceeded()) {
            return failed(r);
        }
        io.etcd.jetcd.KeyValue prev = r.getPutResponses().getFirst().getPrevKv();
        long rev = r.getHeader().getRevision();
        return new WriteResult.Ok(new KeyValue(key, value.clone(), prev.getCreateRevision(), rev, prev.getVersion() + 1));
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        ByteSequence k = bytes(key);
        Cmp guard = expectedModRevision > 0
                ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision))
                : new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0));
        TxnResponse r = await(kv.txn()
                .If(guard, new Cmp(k, Cmp.Op.GREATER, CmpTarget.version(0)))
                .Then(Op.delete(k, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), 0);
        if (!r.isSucceeded()) {
            return failed(r);
        }
        KeyValue prev = toKeyValue(r.getDeleteResponses().getFirst().getPrevKvs().getFirst());
        return new WriteResult.Ok(new KeyValue(key, prev.value(), prev.createRevision(), r.getHeader().getRevision(), prev.version()));
    }

    private static WriteResult failed(TxnResponse r) {
        List<io.etcd.jetcd.KeyValue> current = r.getGetResponses().getFirst().getKvs();
        return new WriteResult.Failed(current.isEmpty() ? Optional.empty() : Optional.of(toKeyValue(current.getFirst())));
    }

    private static void checkSize(String key, byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new ValueTooLargeException(key, value.length);
        }
    }

    // --- watch ----------------------------------------------------------------------------------

    @Override
    public AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        EtcdWatch w = new EtcdWatch(this, prefix, afterRevision, listener);
        watches.add(w);
        w.start();
        return w;
    }

    Watch.Watcher openWatch(String prefix, long fromRevision, Watch.Listener listener) {
        WatchOption opt = WatchOption.builder()
                .withRange(prefixEnd(prefix))
                .withRevision(fromRevision)
                .withPrevKV(true)
                .withProgressNotify(true)
                .build();
        return watchClient.watch(bytes(prefix), opt, listener);
    }

    void removeWatch(EtcdWatch w) {
        watches.remove(w);
    }

    void noteCompacted(long revision) {
        knownCompactRevision.accumulateAndGet(revision, Math::max);
    }

    // --- compaction -----------------------------------------------------------------------------

    @Override
    public void compact(long revision) {
        try {
            await(kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()), 0);
            noteCompacted(revision);
        } catch (CompactedException e) {
            // Already compacted at or beyond this revision: nothing to do.
        }
    }

    /**
     * etcd has no call for the compaction point; a watch from revision 1 on an unused key is
     * refused with it when history has been compacted (etcd reports 0 when never compacted).
     */
    @Override
    public long compactRevision() {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        WatchOption opt = WatchOption.builder().withRevision(1).withCreateNotify(true).build();
        Watch.Watcher w = watchClient.watch(PROBE, opt, new Watch.Listener() {
            @Override
            public void onNext(io.etcd.jetcd.watch.WatchResponse response) {
                answer.complete(0L);
            }

            @Override
            public void onError(Throwable t) {
                if (t instanceof io.etcd.jetcd.common.exception.CompactedException c) {
                    answer.complete(c.getCompactedRevision());
                } else {
                    answer.completeExceptionally(t);
                }
            }

            @Override
            public void onCompleted() {
                answer.complete(0L);
            }
        });
        try {
            long rev = await(answer, 0);
            noteCompacted(rev);
            return knownCompactRevision.get();
        } finally {
            w.close();
        }
    }

    // --- plumbing -------------------------------------------------------------------------------

    /** Waits for an etcd call and translates its failure; {@code revision} is what a read asked for. */
    <T> T await(CompletableFuture<T> future, long revision) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), revision);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException("etcd did not answer within " + TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreException("interrupted while waiting for etcd", e);
        }
    }

    private StoreException translate(Throwable t, long revision) {
        if (t instanceof io.etcd.jetcd.common.exception.CompactedException c) {
            noteCompacted(c.getCompactedRevision());
            return new CompactedException(revision, c.getCompactedRevision());
        }
        String message = String.valueOf(t.getMessage());
        if (message.contains("required revision has been compacted")) {
            long compacted = revision > 0 ? compactRevisionQuietly() : knownCompactRevision.get();
            return new CompactedException(revision, compacted);
        }
        if (message.contains("request is too large")) {
            return new StoreException("etcd refused the request as too large (" + message
                    + "); start etcd with --max-request-bytes above " + MAX_VALUE_BYTES + " to accept values up to the limit", t);
        }
        if (message.contains("required revision is a future revision")) {
            return new StoreException("revision " + revision + " is newer than the store's current revision", t);
        }
        return new StoreException("etcd request failed: " + message, t);
    }

    private long compactRevisionQuietly() {
        try {
            return compactRevision();
        } catch (StoreException e) {
            return knownCompactRevision.get();
        }
    }

    @Override
    public void close() {
        for (EtcdWatch w : watches) {
            w.close();
        }
        client.close();
    }
}
