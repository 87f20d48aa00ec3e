package io.jk8s.e2e;

import io.jk8s.network.HostRules;
import io.jk8s.network.NetworkConfig;
import io.jk8s.network.ProcessHost;

import java.util.concurrent.TimeUnit;

/**
 * Host state the server's agent leaves in place on purpose (pods and their traffic outlive the
 * agent, as with a kubelet restart) and a test must remove to leave the machine as it found it:
 * the CNI bridge, and the pod network's routes, VXLAN/service devices and iptables chains.
 */
final class AgentHostState {

    private AgentHostState() {
    }

    static void remove() throws Exception {
        new ProcessBuilder("ip", "link", "delete", "cni0").start().waitFor(10, TimeUnit.SECONDS);
        new HostRules(ProcessHost.current(), NetworkConfig.of("e2e", "127.0.0.1", "10.244.0.0/16", "10.96.0.0/12")).teardown();
    }
}
