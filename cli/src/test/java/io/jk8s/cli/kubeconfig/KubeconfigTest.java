package io.jk8s.cli.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.HostNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {

    @TempDir
    Path dir;

    @Test
    void fabric8LoadsServerCaAndClientKeyFromTheFile() throws Exception {
        ClusterPki.Material tls = new ClusterPki(dir.resolve("tls"), Clock.systemUTC())
                .ensure(HostNames.forApiServer("10.96.0.1", List.of()));
        Path file = dir.resolve("admin.kubeconfig");

        new Kubeconfig("https://127.0.0.1:16443", tls.ca().certificate(), tls.admin()).writeTo(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Config config = Config.fromKubeconfig(null, file.toFile());
        assertThat(config.getMasterUrl()).startsWith("https://127.0.0.1:16443");
        assertThat(config.getCurrentContext().getName()).isEqualTo("default");
        assertThat(config.getCurrentContext().getContext().getCluster()).isEqualTo("default");
        assertThat(config.getCurrentContext().getContext().getUser()).isEqualTo("default");
        assertThat(config.getCaCertData()).isNotBlank();

        X509KeyManager keys = (X509KeyManager) SSLUtils.keyManagers(config)[0];
        String alias = keys.getClientAliases("EC", null)[0];
        assertThat(keys.getCertificateChain(alias)[0]).isEqualTo(tls.admin().certificate());
        assertThat(keys.getPrivateKey(alias).getEncoded()).isEqualTo(tls.admin().privateKey().getEncoded());
    }
}
