package io.jk8s.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;

/** Where the API server is and how to reach it, read from a kubeconfig (client certificate or token). */
final class ApiTarget {

    private final String host;
    private final int port;
    private final SocketFactory sockets;
    private final String token;

    private ApiTarget(String host, int port, SocketFactory sockets, String token) {
        this.host = host;
        this.port = port;
        this.sockets = sockets;
        this.token = token;
    }

    static ApiTarget fromKubeconfig(Path kubeconfig) throws Exception {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        URI url = URI.create(config.getMasterUrl());
        boolean tls = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80);
        SocketFactory sockets = SocketFactory.getDefault();
        if (tls) {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(SSLUtils.keyManagers(config), SSLUtils.trustManagers(config), null);
            sockets = ctx.getSocketFactory();
        }
        return new ApiTarget(url.getHost(), port, sockets, config.getOauthToken());
    }

    HttpConnection connect() throws IOException {
        return new HttpConnection(sockets, host, port, token);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
