package io.jk8s.proxy;

import java.util.List;

/**
 * One way of programming Services into the node's kernel ({@link ProxyMode}). {@link ServiceProxy} resolves the
 * informer caches into service ports and hands them over; the backend keeps whatever it needs to write only the
 * changes. Called from the proxy's single sync thread only.
 */
public interface ProxyBackend {

    /**
     * Brings the kernel's rules in line with {@code ports}.
     *
     * @param verify also check that the rules were not changed behind our back (first sync and periodic resyncs)
     */
    void sync(List<ServicePortInfo> ports, boolean verify) throws Exception;

    /** The kernel's state is unknown (a sync failed): the next sync rewrites everything. */
    void forget();

    /** Removes every rule, chain and table this backend owns, whether or not this process created them. */
    void cleanup() throws Exception;
}
