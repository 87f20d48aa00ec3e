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
        return new KubernetesClientBuilder().withConfig(withoutTokenRefresh(config)).build();
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
