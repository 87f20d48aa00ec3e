package io.jk8s.apiserver.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponse;

/**
 * The client's connection under a request, for proxies that must leave HTTP behind (exec, attach,
 * port-forward upgrades: upstream's UpgradeAwareHandler idea).
 */
public interface RawConnection {

    /** The connection's event loop; a proxy that dials its backend on it needs no locking. */
    EventLoop eventLoop();

    Channel channel();

    /**
     * Must be called on {@link #eventLoop()}: writes {@code head} (the backend's 101) through the HTTP
     * codec, then removes every HTTP handler and installs {@code raw}, which from then on receives the
     * client's bytes as {@code ByteBuf}s. Completes the request: the connection serves no more HTTP.
     */
    void switchProtocols(HttpResponse head, ChannelHandler raw);
}
