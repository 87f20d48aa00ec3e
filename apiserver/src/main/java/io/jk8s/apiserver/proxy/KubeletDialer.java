package io.jk8s.apiserver.proxy;

import io.jk8s.apiserver.http.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Opens TLS connections to kubelets with the API server's client certificate. The kubelet's serving
 * certificate (and its name) is checked only when a kubelet CA is configured, as upstream.
 */
final class KubeletDialer {

    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final SslContext ssl;
    private final boolean verify;

    KubeletDialer(KubeletClientTls tls) {
        try {
            List<X509Certificate> chain = TlsContexts.readCertificates(tls.clientCert());
            SslContextBuilder b = SslContextBuilder.forClient().protocols("TLSv1.3", "TLSv1.2")
                    .keyManager(TlsContexts.readPrivateKey(tls.clientKey()), chain.toArray(X509Certificate[]::new));
            verify = tls.kubeletCa() != null;
            if (verify) {
                b.trustManager(TlsContexts.readCertificates(tls.kubeletCa()).toArray(X509Certificate[]::new));
            } else {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            ssl = b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the kubelet client TLS material: " + e.getMessage(), e);
        }
    }

    /**
     * Connects on {@code loop} (the client connection's own loop, so relaying needs no locking) with
     * TLS, an HTTP client codec and {@code handler} last.
     */
    ChannelFuture connect(EventLoop loop, KubeletAddress address, ChannelHandler handler) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), address.host(), address.port());
                        if (verify) {
                            SSLParameters p = tls.engine().getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            tls.engine().setSSLParameters(p);
                        }
                        ch.pipeline().addLast("tls", tls);
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("relay", handler);
                    }
                })
                .connect(address.host(), address.port());
    }
}
