package io.jk8s.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the upstream resolvers in order until one answers. dnsjava's {@link SimpleResolver} does the
 * UDP exchange and retries over TCP when the UDP answer is truncated.
 */
public final class UpstreamForwarder implements Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamForwarder.class);

    private final List<SimpleResolver> resolvers;

    public UpstreamForwarder(List<InetSocketAddress> upstreams, Duration timeout) {
        this.resolvers = upstreams.stream().map(address -> {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(timeout);
            return resolver;
        }).toList();
    }

    @Override
    public Optional<Message> forward(Message query) {
        for (SimpleResolver resolver : resolvers) {
            try {
                return Optional.of(resolver.send(query.clone()));
            } catch (Exception e) {
                LOG.debug("upstream {} failed for {}: {}", resolver.getAddress(), query.getQuestion(), e.toString());
            }
        }
        return Optional.empty();
    }
}
