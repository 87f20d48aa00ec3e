package io.jk8s.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The composition root in-process: embedded store, real API server on an ephemeral port, admin kubeconfig. */
@Timeout(120)
class ControlPlaneTest {

    @TempDir
    Path dataDir;

    private ServerOptions options() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs("--data-dir", dataDir.toString(), "--https-port", "0",
                "--bind-address", "127.0.0.1", "--disable-agent");
        return command.options;
    }

    private static KubernetesClient clientFor(ControlPlane controlPlane) {
        Config config = Config.fromKubeconfig(null, controlPlane.dataDir().adminKubeconfig().toFile());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Test
    void servesTheApiToTheAdminKubeconfigAndKeepsStateAcrossRestarts() throws Exception {
        String resourceVersion;
        try (ControlPlane controlPlane = ControlPlane.start(options());
             KubernetesClient client = clientFor(controlPlane)) {
            assertThat(controlPlane.port()).isPositive();
            assertThat(client.namespaces().list().getItems()).extracting(Namespace::getMetadata)
                    .extracting(m -> m.getName()).contains("default", "kube-system");
            resourceVersion = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("survivor").endMetadata().addToData("k", "v").build())
                    .create().getMetadata().getResourceVersion();
        }

        try (ControlPlane again = ControlPlane.start(options()); KubernetesClient client = clientFor(again)) {
            var survivor = client.configMaps().inNamespace("default").withName("survivor").get();
            assertThat(survivor).isNotNull();
            assertThat(survivor.getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
        }
    }
}
