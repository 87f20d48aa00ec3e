package io.jk8s.cli.server;

import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.HostNames;
import java.time.Clock;

/**
 * Interim composition root until the store and API server modules publish their entry points:
 * prepares the certificates, then reports that the API server is not part of this build.
 */
public final class ControlPlane implements AutoCloseable {

    private ControlPlane() {
    }

    public static ControlPlane start(ServerOptions options) throws Exception {
        DataDir dataDir = options.dataDir();
        new ClusterPki(dataDir.tls(), Clock.systemUTC())
                .ensure(HostNames.forApiServer(Cidr.parse(options.serviceCidr()).address(1), options.tlsSans()));
        throw new IllegalStateException("the API server is not part of this build yet");
    }

    public int port() {
        throw new IllegalStateException();
    }

    public DataDir dataDir() {
        throw new IllegalStateException();
    }

    @Override
    public void close() {
    }
}
