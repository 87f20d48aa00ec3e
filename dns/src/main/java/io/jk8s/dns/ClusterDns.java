package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The cluster DNS server: informers on Services and EndpointSlices keep a {@link RecordIndex} current,
 * and UDP and TCP listeners on one address and port answer from it (forwarding other names upstream).
 *
 * <p>{@link #start()} binds the sockets before returning (so {@link #port()} is known) and completes
 * once both informers have listed everything; until then cluster names are answered with SERVFAIL.
 */
public final class ClusterDns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    private static final int BIND_ATTEMPTS = 10;

    private final KubernetesClient client;
    private final DnsConfig config;
    private final RecordIndex index;
    private final DnsResponder responder;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;
    private UdpListener udp;
    private TcpListener tcp;

    public ClusterDns(KubernetesClient client, DnsConfig config) {
        this.client = client;
        this.config = config;
        var zone = ServiceRecords.absolute(config.clusterDomain());
        long ttl = config.ttl().toSeconds();
        this.index = new RecordIndex(new ServiceRecords(zone, ttl));
        Forwarder forwarder = config.upstreams().isEmpty() ? Forwarder.NONE
                : new UpstreamForwarder(config.upstreams(), config.upstreamTimeout());
        this.responder = new DnsResponder(zone, ttl, index, forwarder);
    }

    public synchronized CompletableFuture<Void> start() {
        if (udp != null) throw new IllegalStateException("already started");
        bind();
        udp.start();
        tcp.start();
        services = client.services().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(handler(index::putService, index::removeService));
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        slices.addEventHandler(handler(index::putSlice, index::removeSlice));
        CompletableFuture<Void> servicesSynced = services.start().toCompletableFuture();
        CompletableFuture<Void> slicesSynced = slices.start().toCompletableFuture();
        return CompletableFuture.allOf(servicesSynced, slicesSynced).thenRun(() -> {
            responder.markSynced();
            LOG.info("cluster DNS for {} serving on {}:{} ({} names)", config.clusterDomain(), config.bindAddress(), port(), index.size());
        });
    }

    /** UDP and TCP must share the port; with port 0 the UDP choice may be taken on TCP, so try again. */
    private void bind() {
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            UdpListener u = null;
            try {
                u = new UdpListener(new InetSocketAddress(config.bindAddress(), config.port()), responder);
                TcpListener t = new TcpListener(new InetSocketAddress(config.bindAddress(), u.port()), responder);
                udp = u;
                tcp = t;
                return;
            } catch (IOException e) {
                last = e;
                if (u != null) u.close();
                if (config.port() != 0) break;
            }
        }
        throw new UncheckedIOException("cannot listen on " + config.bindAddress() + ":" + config.port(), last);
    }

    /** The UDP and TCP port; valid after {@link #start()}. */
    public int port() {
        if (udp == null) throw new IllegalStateException("not started");
        return udp.port();
    }

    /** The records being served; exposed for diagnostics and tests. */
    public RecordIndex index() {
        return index;
    }

    @Override
    public synchronized void close() {
        if (services != null) services.close();
        if (slices != null) slices.close();
        if (udp != null) udp.close();
        if (tcp != null) tcp.close();
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> put, Consumer<T> remove) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                put.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                put.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                remove.accept(obj);
            }
        };
    }
}
