package io.jk8s.cli.server;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ControlPlane} (and, by {@link Mode}, the {@link ClusterComponents} around it) in the
 * foreground until the process is told to stop (Ctrl-C, SIGTERM): the JVM shutdown hook closes the
 * components, then the API server, then the store.
 */
final class ServerRunner {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");

    /** What one process runs besides the API server. */
    enum Mode {
        /** {@code jk8s apiserver}: the API server alone. */
        API_SERVER_ONLY,
        /** {@code jk8s server --disable-agent}: plus controller manager and scheduler. */
        CONTROL_PLANE,
        /** {@code jk8s server}: plus this machine's agent (containerd, kubelet, proxy). */
        CONTROL_PLANE_AND_AGENT
    }

    private ServerRunner() {
    }

    static int run(ServerOptions options, Mode mode) throws Exception {
        ControlPlane controlPlane = ControlPlane.start(options);
        ClusterComponents components = null;
        try {
            if (mode != Mode.API_SERVER_ONLY) {
                components = ClusterComponents.start(controlPlane.dataDir().adminKubeconfig(), controllerConfig(options),
                        Optional.of(ClusterDnsSettings.forServiceCidr(options.serviceCidr(), ClusterComponents.primaryIPv4(),
                                options.resolvConf())),
                        agentSettings(options, mode));
            }
        } catch (Exception | Error e) {
            controlPlane.close();
            throw e;
        }
        ClusterComponents startedComponents = components;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            try {
                if (startedComponents != null) startedComponents.close();
                controlPlane.close();
            } finally {
                stopped.countDown();
            }
        }, "jk8s-shutdown"));
        LOG.info("ready in {} ms since process start; admin kubeconfig: {}", sinceProcessStart().toMillis(),
                controlPlane.dataDir().adminKubeconfig());
        System.out.println("jk8s: API ready at https://127.0.0.1:" + controlPlane.port()
                + "\njk8s: export KUBECONFIG=" + controlPlane.dataDir().adminKubeconfig());
        stopped.await();
        return 0;
    }

    /** The server's controllers sign node certificates with the cluster CA (joined agents), carve node pod ranges from the cluster CIDR. */
    private static io.jk8s.controllers.runtime.ControllerManagerConfig controllerConfig(ServerOptions options) {
        var pki = new io.jk8s.cli.pki.ClusterPki(options.dataDir().tls(), java.time.Clock.systemUTC());
        return io.jk8s.controllers.runtime.ControllerManagerConfig.defaults().withClusterCidr(options.clusterCidr())
                .withSigningCa(pki.caCertificateFile(), pki.caKeyFile())
                .withNodeMonitor(options.nodeMonitorGracePeriod(), java.time.Duration.ofSeconds(5));
    }

    private static Optional<ClusterComponents.AgentSettings> agentSettings(ServerOptions options, Mode mode) throws Exception {
        if (mode != Mode.CONTROL_PLANE_AND_AGENT) {
            LOG.info("agent: not started ({})", mode == Mode.CONTROL_PLANE ? "--disable-agent" : "apiserver only");
            return Optional.empty();
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            // containerd, network namespaces and iptables need root, as for k3s' agent.
            LOG.warn("agent: not started (it needs root; run as root or pass --disable-agent)");
            return Optional.empty();
        }
        String nodeName = java.net.InetAddress.getLocalHost().getHostName().toLowerCase();
        Path agentDir = options.dataDir().root().resolve("agent");
        // One node: its pod range is the first /24 of the cluster range (node IPAM for joined nodes comes later).
        String podCidr = Cidr.parse(options.clusterCidr()).address(0) + "/24";
        return Optional.of(new ClusterComponents.AgentSettings(nodeName, ClusterComponents.primaryIPv4(), podCidr,
                options.clusterCidr(), agentDir, Optional.of(kubeletServer(options, nodeName, ClusterComponents.primaryIPv4())),
                options.proxyMode(), options.serviceCidr()));
    }

    /** The kubelet's HTTPS server: a serving certificate from the cluster CA, clients (the API server) checked against it. */
    private static io.jk8s.kubelet.server.KubeletServer.Settings kubeletServer(ServerOptions options, String nodeName, String nodeIp)
            throws java.io.IOException {
        var pki = new io.jk8s.cli.pki.ClusterPki(options.dataDir().tls(), java.time.Clock.systemUTC());
        pki.ensureKubeletServing(nodeName, nodeIp);
        return new io.jk8s.kubelet.server.KubeletServer.Settings("0.0.0.0", options.kubeletPort(),
                pki.kubeletServingCertificateFile(), pki.kubeletServingKeyFile(), pki.caCertificateFile());
    }

    private static Duration sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()))
                .orElse(Duration.ZERO);
    }
}
