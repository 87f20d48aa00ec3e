package io.jk8s.cli.components;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.hollow.HollowConfig;
import io.jk8s.hollow.HollowNodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jk8s hollow-nodes}: N kubemark-style nodes that heartbeat and report their pods Running without
 * starting containers, to test and measure the control plane at scale. Stopping the process makes them
 * go NotReady like dead machines.
 */
@Command(name = "hollow-nodes", mixinStandardHelpOptions = true,
        description = "Register N hollow nodes (hollow-0...) that run pods without containers, for scale tests.")
public final class HollowNodesCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Option(names = "--count", required = true, description = "number of nodes")
    int count;

    @Option(names = "--cpu", defaultValue = "4", description = "cpu capacity per node (default: ${DEFAULT-VALUE})")
    String cpu;

    @Option(names = "--memory", defaultValue = "16Gi", description = "memory capacity per node (default: ${DEFAULT-VALUE})")
    String memory;

    @Option(names = "--pods", defaultValue = "110", description = "pod capacity per node (default: ${DEFAULT-VALUE})")
    String pods;

    @Option(names = "--prefix", defaultValue = "hollow-", description = "node name prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        HollowConfig base = HollowConfig.of(count);
        HollowConfig cfg = new HollowConfig(count, prefix, cpu, memory, pods, base.heartbeat(), base.parallelism(),
                base.firstPodSubnet());
        KubernetesClient c = client.client();
        HollowNodes nodes = new HollowNodes(c, cfg);
        return Foreground.run("hollow-nodes (" + count + ")", nodes.start(), c, nodes);
    }
}
