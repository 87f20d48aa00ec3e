package io.jk8s.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** API clients for components, built from a kubeconfig file exactly as kubectl would use it. */
public final class KubeClients {

    private KubeClients() {
    }

    public static KubernetesClient fromKubeconfig(Path kubeconfig) throws IOException {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        return new KubernetesClientBuilder().withConfig(withoutTokenRefresh(config)).build();
    }

    /**
     * The client of a long-running process that should stay small (the node agent): model classes only for the kinds
     * that arrive ({@link OnDemandKindSerialization}, instead of all ~340 at the first watch event), and HTTP callbacks
     * and informer hand-offs on virtual threads instead of pools of platform threads (JDK 24+, where monitors do not
     * pin them).
     */
    public static KubernetesClient forNodeAgent(Path kubeconfig) throws IOException {
        OnDemandKindSerialization serialization = new OnDemandKindSerialization();
        KubernetesClientBuilder builder = new KubernetesClientBuilder()
                .withConfig(withoutTokenRefresh(readKubeconfig(kubeconfig, serialization)))
                .withKubernetesSerialization(serialization);
        if (VirtualThreadHttpClientFactory.supported()) {
            builder.withHttpClientFactory(new VirtualThreadHttpClientFactory())
                    .withTaskExecutor(VirtualThreadHttpClientFactory.executor("api-tasks-"));
        }
        return builder.build();
    }

    /** {@link #readKubeconfig(Path, KubernetesSerialization)} with a serialization of its own. */
    public static Config readKubeconfig(Path kubeconfig) throws IOException {
        return readKubeconfig(kubeconfig, new OnDemandKindSerialization());
    }

    /**
     * The client config a kubeconfig file describes (its current context), parsed with {@code serialization}.
     * {@code Config.fromKubeconfig} parses with fabric8's static serialization, whose kubeconfig model makes it
     * build fabric8's all-kinds registry (~590 classes, ~8 MB) even in a process that never reads an untyped object;
     * it also lets {@code KUBERNETES_*} variables and system properties override the file, which a node daemon's own
     * kubeconfig should not be (the join likewise starts from {@code Config.empty()}).
     */
    public static Config readKubeconfig(Path kubeconfig, KubernetesSerialization serialization) throws IOException {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = serialization.unmarshal(Files.readString(kubeconfig), io.fabric8.kubernetes.api.model.Config.class);
        } catch (RuntimeException e) {
            throw new IOException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
        }
        if (parsed == null) throw new IOException("empty kubeconfig " + kubeconfig);
        Config config = Config.empty();
        KubeConfigUtils.merge(config, null, parsed);
        return config;
    }

    /**
     * A config that authenticates without a bearer token (client certificate, or none) gets an
     * empty token provider. Without one, fabric8's TokenRefreshInterceptor re-runs
     * {@code Config.refresh()} (re-reading the kubeconfig file and the environment) before EVERY
     * request once the client is a minute old, because it only remembers a refresh that found a
     * token; that was a third of the scheduler's client CPU per binding. Configs with a token, an
     * auth provider or basic auth keep fabric8's refresh as is.
     */
    public static Config withoutTokenRefresh(Config config) {
        boolean tokenless = isEmpty(config.getOauthToken()) && isEmpty(config.getAutoOAuthToken())
                && config.getOauthTokenProvider() == null && config.getAuthProvider() == null
                && isEmpty(config.getUsername());
        if (tokenless) {
            config.setOauthTokenProvider(() -> null);
        }
        return config;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
