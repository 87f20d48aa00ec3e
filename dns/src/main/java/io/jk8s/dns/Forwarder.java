package io.jk8s.dns;

import org.xbill.DNS.Message;

import java.util.Optional;

/** Resolves queries for names outside the cluster domain. */
public interface Forwarder {

    /**
     * The upstream's response to {@code query} (any rcode, including NXDOMAIN), or empty when no
     * upstream answered in time. Blocks; callers run it on a virtual thread.
     */
    Optional<Message> forward(Message query);

    /** A forwarder with no upstreams: every outside name fails. */
    Forwarder NONE = query -> Optional.empty();
}
