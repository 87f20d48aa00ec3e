package io.jk8s.kubelet.server;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's HTTPS server (upstream's :10250): {@code /healthz}, {@code /containerLogs},
 * and {@code /exec}, {@code /attach}, {@code /portForward} proxied to the container runtime's
 * streaming server. Clients must present a certificate signed by the client CA (the API server
 * uses one the cluster CA signs); others get 401.
 *
 * <p>Lifecycle: {@link #start()} binds (port 0 picks a free port, see {@link #port()}),
 * {@link #close()} stops accepting and closes open connections.
 */
public final class KubeletServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubeletServer.class);

    /**
     * @param bindAddress    address to listen on, e.g. {@code 0.0.0.0}
     * @param port           TCP port (upstream 10250; 0 = any free port)
     * @param servingCertPem the server's certificate chain (PEM)
     * @param servingKeyPem  its private key (PKCS#8 PEM)
     * @param clientCaPem    CA certificate(s) that client certificates must chain to
     */
    public record Settings(String bindAddress, int port, Path servingCertPem, Path servingKeyPem, Path clientCaPem) {}

    private final Settings settings;
    private final PodLookup pods;
    private final ContainerRuntime cri;
    private final Clock clock;
    private EventLoopGroup group;
    private Channel listener;

    public KubeletServer(Settings settings, PodLookup pods, ContainerRuntime cri, Clock clock) {
        this.settings = settings;
        this.pods = pods;
        this.cri = cri;
        this.clock = clock;
    }

    public synchronized void start() throws IOException {
        ServerTls tls = new ServerTls(settings.servingCertPem(), settings.servingKeyPem(), settings.clientCaPem());
        ContainerResolver resolver = new ContainerResolver(pods, cri);
        group = new MultiThreadIoEventLoopGroup(2,
                Thread.ofPlatform().name("kubelet-server-", 0).daemon().factory(), NioIoHandler.newFactory());
        try {
            listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("tls", tls.context().newHandler(ch.alloc()));
                            ch.pipeline().addLast("http", new HttpServerCodec());
                            ch.pipeline().addLast("kubelet", new KubeletHttpHandler(tls, resolver, cri, clock));
                        }
                    })
                    .bind(new InetSocketAddress(settings.bindAddress(), settings.port())).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding the kubelet server", e);
        } catch (RuntimeException e) {
            close();
            throw new IOException("kubelet server cannot listen on " + settings.bindAddress() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        log.info("kubelet server listening on https://{}:{}", settings.bindAddress(), port());
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
