package io.jk8s.cli.join;

import io.jk8s.cli.kubeconfig.Kubeconfig;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.PemFiles;
import io.jk8s.cli.pki.SubjectAltNames;
import io.jk8s.kubelet.server.KubeletServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentKubeletServerTest {

    @Test
    void joinedNodeServesWithItsOwnCertificateAndTrustsTheClusterCaForClients(@TempDir Path tmp) throws Exception {
        ClusterPki cluster = new ClusterPki(tmp.resolve("server-tls"), Clock.systemUTC());
        ClusterPki.Material material = cluster.ensure(new SubjectAltNames(Set.of("localhost"), Set.of("127.0.0.1")));
        Path agentDir = tmp.resolve("agent");
        Path kubeconfig = agentDir.resolve("kubelet.kubeconfig");
        new Kubeconfig("https://10.0.0.1:6443", material.ca().certificate(), material.admin()).writeTo(kubeconfig);

        KubeletServer.Settings s = AgentKubeletServer.settings(agentDir, kubeconfig, "n2", "192.168.79.12", 10251);

        assertThat(s.port()).isEqualTo(10251);
        X509Certificate serving = PemFiles.readCertificate(s.servingCertPem());
        assertThat(SubjectAltNames.of(serving).covers(new SubjectAltNames(Set.of("n2"), Set.of("192.168.79.12")))).isTrue();
        PemFiles.readPrivateKey(s.servingKeyPem());
        // The cluster CA key is not on a joined machine: the serving certificate is not from it ...
        assertThatThrownBy(() -> serving.verify(material.ca().certificate().getPublicKey()))
                .isInstanceOf(java.security.SignatureException.class);
        // ... but the API server's kubelet client certificate is, so that is whom the kubelet trusts.
        assertThat(PemFiles.readCertificate(s.clientCaPem())).isEqualTo(material.ca().certificate());
    }
}
