package io.jk8s.cli.components;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.cli.KubeClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a stand-alone component reaches the API server: a kubeconfig, as for kubectl. */
public final class ClientOptions {

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "kubeconfig to reach the API server (default: $KUBECONFIG, else /var/lib/jk8s/admin.kubeconfig)")
    Path kubeconfig;

    Path kubeconfig() {
        if (kubeconfig != null) return kubeconfig;
        String env = System.getenv("KUBECONFIG");
        return env != null && !env.isBlank() ? Path.of(env.split(":")[0]) : Path.of("/var/lib/jk8s/admin.kubeconfig");
    }

    /** A client for the configured cluster; a missing or unreadable file is a clear error. */
    KubernetesClient client() throws IOException {
        Path file = kubeconfig();
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read kubeconfig " + file + " (pass --kubeconfig or set KUBECONFIG)");
        }
        return KubeClients.fromKubeconfig(file);
    }
}
