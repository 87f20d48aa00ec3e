package io.jk8s.cli.server;

import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.apiserver.proxy.KubeletClientTls;
import io.jk8s.apiserver.storage.ServiceNetwork;
import io.jk8s.cli.kubeconfig.Kubeconfig;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.HostNames;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.registry.ResourceRegistry;
import io.jk8s.store.Compactor;
import io.jk8s.store.Store;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of the control plane: certificates, store, API server, admin kubeconfig,
 * started in that order and closed in reverse. Later components (controllers, scheduler) join
 * here as API clients of the running server.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    private static final long API_START_TIMEOUT_SECONDS = 60;
    private static final int NODE_PORT_MIN = 30000;
    private static final int NODE_PORT_MAX = 32767;

    private final Store store;
    private final ApiServer apiServer;
    private final DataDir dataDir;
    private final Compactor compactor;

    private ControlPlane(Store store, ApiServer apiServer, DataDir dataDir) {
        this.store = store;
        this.apiServer = apiServer;
        this.dataDir = dataDir;
        // As kube-apiserver does for etcd: keep the store's history bounded (watchers older than
        // the kept window get 410 Gone and relist).
        this.compactor = Compactor.start(store, Compactor.DEFAULT_KEEP, Compactor.DEFAULT_INTERVAL);
    }

    /**
     * Starts everything and returns once the API serves; on failure, closes what was started.
     * Certificates (CPU), the store (disk, native library) and the resource registry (class
     * loading) do not depend on each other, so they are prepared in parallel.
     */
    public static ControlPlane start(ServerOptions options) throws Exception {
        DataDir dataDir = options.dataDir();
        String kubernetesServiceIp = Cidr.parse(options.serviceCidr()).address(1);
        ClusterPki pki = new ClusterPki(dataDir.tls(), Clock.systemUTC());
        CompletableFuture<Store> storeOpened = async(() -> {
            long t = System.nanoTime();
            Store opened = StoreOpener.open(options.etcdEndpoints(), dataDir);
            LOG.info("store: {} open at revision {} ({} ms)", StoreOpener.describe(options.etcdEndpoints(), dataDir),
                    opened.currentRevision(), millisSince(t));
            return opened;
        });
        CompletableFuture<ResourceRegistry> registryBuilt = async(BuiltinRegistry::create);
        Store store = null;
        ApiServer apiServer = null;
        try {
            long t0 = System.nanoTime();
            ClusterPki.Material tls = pki.ensure(HostNames.forApiServer(kubernetesServiceIp, options.tlsSans()));
            LOG.info("tls: certificates ready in {} ({} ms)", dataDir.tls(), millisSince(t0));
            store = join(storeOpened);
            ResourceRegistry registry = join(registryBuilt);

            long t2 = System.nanoTime();
            apiServer = new ApiServer(new ApiServerConfig(options.bindAddress(), options.httpsPort(),
                    pki.servingCertificateFile(), pki.servingKeyFile(), pki.caCertificateFile(),
                    new ServiceNetwork(options.serviceCidr(), NODE_PORT_MIN, NODE_PORT_MAX),
                    ClusterComponents.primaryIPv4()).withKubeletClient(new KubeletClientTls(
                    pki.kubeletClientCertificateFile(), pki.kubeletClientKeyFile(), null)), store, registry,
                    java.util.List.of(), io.jk8s.apiserver.auth.Authorizer.RBAC, Clock.systemUTC()); // RBAC on; components use admin (system:masters)
            apiServer.withServiceAccountTokens(io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens
                    .fromPrivateKeyFile(pki.serviceAccountKeyFile()));
            apiServer.start().get(API_START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("apiserver: serving https://{}:{} ({} ms)", options.bindAddress(), apiServer.port(), millisSince(t2));

            new Kubeconfig("https://127.0.0.1:" + apiServer.port(), tls.ca().certificate(), tls.admin())
                    .writeTo(dataDir.adminKubeconfig());
            return new ControlPlane(store, apiServer, dataDir);
        } catch (Exception | Error e) {
            if (apiServer != null) {
                apiServer.close();
            }
            // The store may still be opening when something else failed: close it once it is open.
            storeOpened.thenAccept(Store::close);
            throw e;
        }
    }

    private static <T> CompletableFuture<T> async(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().name("jk8s-startup").daemon().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The value of a start-up step, rethrowing its own failure rather than a wrapper. */
    private static <T> T join(CompletableFuture<T> step) throws Exception {
        try {
            return step.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    public int port() {
        return apiServer.port();
    }

    public DataDir dataDir() {
        return dataDir;
    }

    /** Stops serving first so that no request sees a closed store, then closes the store. */
    @Override
    public void close() {
        try {
            compactor.close();
            apiServer.close();
        } finally {
            store.close();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
