package io.jk8s.apiserver.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ApiRequest;
import io.jk8s.apiserver.http.RawConnection;
import io.jk8s.apiserver.http.Responder;
import io.jk8s.apiserver.storage.ResourceStorage;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code pods/log}, {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: finds the pod's
 * container and node, and proxies the request to that node's kubelet over TLS with the API server's
 * kubelet client certificate. Logs stream through; exec/attach/port-forward upgrades are forwarded and,
 * once the kubelet switches protocols, spliced as raw bytes (see {@link UpgradeRelay}).
 *
 * <p>Called on the request's virtual thread; returns once the client's response has started.
 */
public final class PodStreams {

    public static final Set<String> SUBRESOURCES = Set.of("log", "exec", "attach", "portforward");
    /** How long the kubelet may take to answer the forwarded request (headers only; streams then run freely). */
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    /** Client headers never forwarded: credentials for us, not for the kubelet, and the target host. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "authorization", "cookie", "proxy-authorization");

    private final ResourceStorage storage;
    private final KindStrategy pods;
    private final KindStrategy nodes;
    private final KubeletDialer dialer;

    /** @param kubeletTls null: every stream request answers 503 */
    public PodStreams(ResourceStorage storage, ResourceRegistry registry, KubeletClientTls kubeletTls) {
        this.storage = storage;
        this.pods = registry.byResource("", "v1", "pods").orElse(null);
        this.nodes = registry.byResource("", "v1", "nodes").orElse(null);
        this.dialer = kubeletTls == null ? null : new KubeletDialer(kubeletTls);
    }

    /** True for the core pods subresources this class serves. */
    public boolean serves(String group, String resource, String subresource) {
        return group.isEmpty() && "pods".equals(resource) && subresource != null && SUBRESOURCES.contains(subresource);
    }

    public void handle(ApiRequest req, Responder res, String namespace, String name, String subresource) {
        boolean log = subresource.equals("log");
        if (log ? !req.method().equals("GET") : !req.method().equals("GET") && !req.method().equals("POST")) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        ObjectNode pod = storage.get(pods, namespace, name, false);
        String path;
        if (subresource.equals("portforward")) {
            path = KubeletPaths.portForward(namespace, name, req);
        } else {
            String container = KubeletPaths.container(pod, req.param("container"));
            path = log ? KubeletPaths.logs(namespace, name, container, req)
                    : KubeletPaths.exec(subresource, namespace, name, container, req);
        }
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (nodeName.isEmpty()) {
            if (log) { // upstream: no location, an empty log
                res.send(200, "text/plain", new byte[0]);
                return;
            }
            throw ApiException.badRequest("pod " + name + " does not have a host assigned");
        }
        if (dialer == null) {
            throw new ApiException(503, "ServiceUnavailable", "the API server has no kubelet client certificate configured: "
                    + "pods/" + subresource + " cannot reach the kubelet", null, null, null, List.of(), null);
        }
        KubeletAddress address = KubeletAddress.of(storage.get(nodes, null, nodeName, true));
        RawConnection client = res.rawConnection().orElseThrow(() -> ApiException.internal("this connection cannot be proxied"));
        if (log) {
            LogRelay relay = new LogRelay(res, address);
            proxy(client, address, request("GET", path, address, null), relay, relay.answered);
        } else {
            UpgradeRelay relay = new UpgradeRelay(res, client, address);
            proxy(client, address, request(req.method(), path, address, req), relay, relay.answered);
        }
    }

    /** The kubelet request: for upgrades the client's headers (Connection, Upgrade, Sec-WebSocket-*, X-Stream-Protocol-Version ...). */
    private static FullHttpRequest request(String method, String path, KubeletAddress address, ApiRequest from) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path);
        if (from != null) {
            for (Map.Entry<String, String> h : from.headers()) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase()) && !h.getKey().toLowerCase().startsWith("impersonate-")) {
                    r.headers().add(h.getKey(), h.getValue());
                }
            }
        } else {
            r.headers().set(HttpHeaderNames.ACCEPT, "*/*");
        }
        r.headers().set(HttpHeaderNames.HOST, address.authority());
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return r;
    }

    private void proxy(RawConnection client, KubeletAddress address, FullHttpRequest request,
                       io.netty.channel.ChannelHandler relay, CompletableFuture<Void> answered) {
        ChannelFuture connect = dialer.connect(client.eventLoop(), address, relay);
        Channel kubelet = connect.channel();
        connect.addListener(f -> {
            if (f.isSuccess()) {
                kubelet.writeAndFlush(request);
            } else {
                request.release();
                answered.completeExceptionally(KubeletErrors.dialFailed(address, f.cause()));
            }
        });
        // The client going away before the kubelet answered must not leave the kubelet connection open.
        io.netty.channel.ChannelFutureListener closeKubelet = f -> kubelet.close();
        client.channel().closeFuture().addListener(closeKubelet);
        kubelet.closeFuture().addListener(f -> client.channel().closeFuture().removeListener(closeKubelet));
        try {
            answered.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            kubelet.close();
            if (e.getCause() instanceof ApiException api) throw api;
            throw KubeletErrors.dialFailed(address, e.getCause());
        } catch (TimeoutException e) {
            kubelet.close();
            throw new ApiException(504, "Timeout", "the kubelet at " + address.authority() + " did not answer within "
                    + ANSWER_TIMEOUT_SECONDS + "s", null, null, null, List.of(), null);
        } catch (InterruptedException e) {
            kubelet.close();
            Thread.currentThread().interrupt();
            throw ApiException.internal("interrupted while waiting for the kubelet");
        }
    }
}
