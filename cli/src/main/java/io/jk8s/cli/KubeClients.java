package io.jk8s.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** API clients for components, built from a kubeconfig file exactly as kubectl would use it. */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient fromKubeconfig(Path kubeconfig) throws IOException {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
