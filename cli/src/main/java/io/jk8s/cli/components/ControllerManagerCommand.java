package io.jk8s.cli.components;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.controllers.ControllerManager;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jk8s controller-manager}: the controllers alone, as kube-controller-manager (leader-elected). */
@Command(name = "controller-manager", mixinStandardHelpOptions = true,
        description = "Run the controller manager alone against an API server (leader-elected).")
public final class ControllerManagerCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client;

    @Option(names = "--cluster-cidr", defaultValue = ControllerManagerConfig.DEFAULT_CLUSTER_CIDR,
            description = "Pod network node IPAM gives each Node a /24 of (default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--cluster-signing-cert-file", paramLabel = "FILE",
            description = "PEM CA certificate the CSR signer issues certificates with (e.g. <data-dir>/server/tls/ca.crt); without it nothing is signed.")
    java.nio.file.Path signingCert;

    @Option(names = "--cluster-signing-key-file", paramLabel = "FILE", description = "PEM private key of that CA.")
    java.nio.file.Path signingKey;

    @Override
    public Integer call() throws Exception {
        io.jk8s.cli.server.Cidr cidr;
        try {
            cidr = io.jk8s.cli.server.Cidr.parse(clusterCidr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster-cidr: " + e.getMessage(), e);
        }
        if (cidr.network().getAddress().length != 4 || cidr.prefixLength() > ControllerManagerConfig.NODE_CIDR_MASK_SIZE) {
            throw new IllegalArgumentException("--cluster-cidr must be an IPv4 range of /" + ControllerManagerConfig.NODE_CIDR_MASK_SIZE
                    + " or larger: " + clusterCidr);
        }
        if ((signingCert == null) != (signingKey == null)) {
            throw new IllegalArgumentException("--cluster-signing-cert-file and --cluster-signing-key-file go together");
        }
        KubernetesClient c = client.client();
        ControllerManager manager = new ControllerManager(c, ControllerManagerConfig.defaults().withClusterCidr(clusterCidr)
                .withSigningCa(signingCert, signingKey));
        return Foreground.run("controller-manager", manager.start(), c, manager);
    }
}
