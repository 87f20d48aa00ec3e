package io.jk8s.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.AttachRequest;
import io.jk8s.kubelet.cri.v1.Container;
import io.jk8s.kubelet.cri.v1.ExecRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client connection of the kubelet server: authenticates the client certificate, routes
 * upstream's paths ({@code /healthz}, {@code /containerLogs}, {@code /exec}, {@code /attach},
 * {@code /portForward}) and answers errors as plain text. Log streaming and CRI calls run on a
 * virtual thread; one request at a time per connection (clients do not pipeline).
 */
final class KubeletHttpHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final Logger log = LoggerFactory.getLogger(KubeletHttpHandler.class);

    private final ServerTls tls;
    private final ContainerResolver resolver;
    private final ContainerRuntime cri;
    private final Clock clock;
    private volatile Thread worker;

    KubeletHttpHandler(ServerTls tls, ContainerResolver resolver, ContainerRuntime cri, Clock clock) {
        this.tls = tls;
        this.resolver = resolver;
        this.cri = cri;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpRequest request) || worker != null) {
            return; // bodies of GET/POST upgrade requests are empty; no pipelining
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            Responses.text(ctx.channel(), 400, "malformed request", false);
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (!tls.authenticated(ssl.engine().getSession())) {
            Responses.text(ctx.channel(), 401, "Unauthorized", keepAlive);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> path = segments(uri.path());
        try {
            String root = path.isEmpty() ? "" : path.getFirst();
            switch (root) {
                case "healthz" -> Responses.text(ctx.channel(), 200, "ok", keepAlive);
                case "containerLogs" -> containerLogs(ctx.channel(), request, path, uri.parameters(), keepAlive);
                case "exec", "attach", "portForward" -> stream(ctx.channel(), request, root, path, uri.parameters());
                default -> Responses.text(ctx.channel(), 404, "404 page not found", keepAlive);
            }
        } catch (RequestFailure f) {
            Responses.text(ctx.channel(), f.status(), f.getMessage(), keepAlive);
        }
    }

    private void containerLogs(Channel channel, HttpRequest request, List<String> path,
                               Map<String, List<String>> query, boolean keepAlive) {
        requireMethod(request, HttpMethod.GET);
        if (path.size() < 4 || path.get(3).isEmpty()) {
            throw RequestFailure.badRequest("Missing container name.");
        }
        LogOptions options = LogOptions.parse(query, clock);
        String namespace = path.get(1);
        String pod = path.get(2);
        String container = path.get(3);
        runOnWorker(channel, keepAlive, () -> {
            Container instance = resolver.container(namespace, pod, container, options.previous());
            Path logFile = Path.of(resolver.logPath(instance.getId()));
            if (!Files.isRegularFile(logFile)) {
                throw RequestFailure.notFound("log file of container \"" + container + "\" in pod \"" + pod
                        + "\" does not exist");
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setTransferEncodingChunked(head, true);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            if (!keepAlive) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            channel.writeAndFlush(head);
            boolean follow = options.follow() && !options.previous();
            LogOptions effective = new LogOptions(follow, options.previous(), options.tailLines(), options.since(),
                    options.timestamps(), options.limitBytes());
            try (ChunkedBodyStream body = new ChunkedBodyStream(channel)) {
                new ContainerLogCopier(effective, body).copy(logFile, () -> resolver.isRunning(instance.getId()));
            }
            if (!keepAlive) {
                channel.close();
            }
        });
    }

    /** exec, attach and portForward: get the runtime's streaming URL, then proxy the upgrade to it. */
    private void stream(Channel channel, HttpRequest request, String kind, List<String> path,
                        Map<String, List<String>> query) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
            throw new RequestFailure(405, "method " + request.method() + " not allowed");
        }
        if (!isUpgrade(request)) {
            throw RequestFailure.badRequest("Upgrade request required");
        }
        StreamTarget target = StreamTarget.parse(kind, path, query);
        channel.config().setAutoRead(false);
        runOnWorker(channel, false, () -> {
            Pod pod = resolver.pod(target.namespace(), target.pod());
            target.checkUid(pod);
            String url = switch (kind) {
                case "exec" -> cri.exec(ExecRequest.newBuilder()
                        .setContainerId(resolver.runningContainer(target.namespace(), target.pod(), target.container()).getId())
                        .addAllCmd(target.command()).setTty(target.tty()).setStdin(target.stdin())
                        .setStdout(target.stdout()).setStderr(target.stderr()).build());
                case "attach" -> cri.attach(AttachRequest.newBuilder()
                        .setContainerId(resolver.runningContainer(target.namespace(), target.pod(), target.container()).getId())
                        .setTty(target.tty()).setStdin(target.stdin())
                        .setStdout(target.stdout()).setStderr(target.stderr()).build());
                default -> cri.portForward(resolver.readySandbox(target.namespace(), target.pod()).getId(), target.ports());
            };
            channel.eventLoop().execute(() -> UpgradeProxy.start(channel, request, URI.create(url)));
        });
    }

    /** Blocking work of one request; answers the request itself when it succeeds. */
    @FunctionalInterface
    private interface RequestWork {
        void run() throws IOException;
    }

    /** Runs blocking work off the event loop; failures before any output become error responses. */
    private void runOnWorker(Channel channel, boolean keepAlive, RequestWork work) {
        worker = Thread.ofVirtual().name("kubelet-server-request").start(() -> {
            try {
                work.run();
            } catch (RequestFailure f) {
                Responses.text(channel, f.status(), f.getMessage(), keepAlive);
            } catch (CriException e) {
                int status = switch (e.kind()) {
                    case NOT_FOUND -> 404;
                    case INVALID -> 400;
                    default -> 500;
                };
                Responses.text(channel, status, e.getMessage(), keepAlive);
            } catch (IOException e) {
                log.debug("kubelet server: {}", e.toString());
                channel.close();
            } catch (RuntimeException e) {
                log.warn("kubelet server request failed", e);
                channel.close();
            } finally {
                worker = null;
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Thread running = worker;
        if (running != null) {
            running.interrupt(); // stops a log follow whose client went away
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("kubelet server connection: {}", cause.toString());
        ctx.close();
    }

    private static void requireMethod(HttpRequest request, HttpMethod method) {
        if (!request.method().equals(method)) {
            throw new RequestFailure(405, "method " + request.method() + " not allowed");
        }
    }

    static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && !request.headers().get(HttpHeaderNames.UPGRADE, "").isEmpty();
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return out;
    }
}
