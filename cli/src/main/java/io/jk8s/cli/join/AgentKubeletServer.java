package io.jk8s.cli.join;

import io.fabric8.kubernetes.client.Config;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.kubelet.server.KubeletServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;

/**
 * The HTTPS server settings of a joined node's kubelet (logs, exec, attach, port-forward through the
 * API server). A joined machine has no cluster CA key, so, like upstream's kubelet without
 * {@code --tls-cert-file}, it serves with a certificate from a CA of its own (the API server does not
 * verify kubelet serving certificates); clients are checked against the cluster CA from the node's
 * kubeconfig, which signs the API server's kubelet client certificate.
 */
final class AgentKubeletServer {

    private AgentKubeletServer() {
    }

    static KubeletServer.Settings settings(Path agentDir, Path kubeconfig, String nodeName, String nodeIp, int port)
            throws IOException {
        Path tls = agentDir.resolve("kubelet-tls");
        ClusterPki local = new ClusterPki(tls, Clock.systemUTC());
        local.ensureKubeletServing(nodeName, nodeIp);
        Path clusterCa = tls.resolve("cluster-ca.crt");
        Files.write(clusterCa, clusterCaPem(kubeconfig));
        return new KubeletServer.Settings("0.0.0.0", port, local.kubeletServingCertificateFile(),
                local.kubeletServingKeyFile(), clusterCa);
    }

    private static byte[] clusterCaPem(Path kubeconfig) throws IOException {
        Config cfg = io.jk8s.cli.KubeClients.readKubeconfig(kubeconfig);
        if (cfg.getCaCertData() == null) throw new IOException(kubeconfig + " has no certificate-authority-data");
        return Base64.getDecoder().decode(cfg.getCaCertData());
    }
}
