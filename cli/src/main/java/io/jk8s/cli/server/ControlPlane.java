package io.jk8s.cli.server;

import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.cli.kubeconfig.Kubeconfig;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.HostNames;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.Store;
import java.time.Clock;
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

    private final Store store;
    private final ApiServer apiServer;
    private final DataDir dataDir;

    private ControlPlane(Store store, ApiServer apiServer, DataDir dataDir) {
        this.store = store;
        this.apiServer = apiServer;
        this.dataDir = dataDir;
    }

    /** Starts everything and returns once the API serves; on failure, closes what was started. */
    public static ControlPlane start(ServerOptions options) throws Exception {
        DataDir dataDir = options.dataDir();
        long t0 = System.nanoTime();
        ClusterPki pki = new ClusterPki(dataDir.tls(), Clock.systemUTC());
        String kubernetesServiceIp = Cidr.parse(options.serviceCidr()).address(1);
        ClusterPki.Material tls = pki.ensure(HostNames.forApiServer(kubernetesServiceIp, options.tlsSans()));
        LOG.info("tls: certificates ready in {} ({} ms)", dataDir.tls(), millisSince(t0));

        long t1 = System.nanoTime();
        Store store = StoreOpener.open(options.etcdEndpoints(), dataDir);
        LOG.info("store: {} open at revision {} ({} ms)", StoreOpener.describe(options.etcdEndpoints(), dataDir),
                store.currentRevision(), millisSince(t1));
        ApiServer apiServer = null;
        try {
            long t2 = System.nanoTime();
            apiServer = new ApiServer(new ApiServerConfig(options.bindAddress(), options.httpsPort(),
                    pki.servingCertificateFile(), pki.servingKeyFile(), pki.caCertificateFile()),
                    store, BuiltinRegistry.create());
            apiServer.start().get(API_START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("apiserver: serving https://{}:{} ({} ms)", options.bindAddress(), apiServer.port(), millisSince(t2));

            new Kubeconfig("https://127.0.0.1:" + apiServer.port(), tls.ca().certificate(), tls.admin())
                    .writeTo(dataDir.adminKubeconfig());
            return new ControlPlane(store, apiServer, dataDir);
        } catch (Exception | Error e) {
            if (apiServer != null) {
                apiServer.close();
            }
            store.close();
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
            apiServer.close();
        } finally {
            store.close();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
