package io.jk8s.cli;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which kubeconfigs opt out of fabric8's per-request token refresh. */
class KubeClientsTest {

    private static String kubeconfig(String user) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: https://127.0.0.1:6443
                users:
                - name: u
                  user:
                %s
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                current-context: x
                """.formatted(user.indent(4).stripTrailing());
    }

    @Test
    void certificateConfigGetsAnEmptyTokenProvider() {
        Config cfg = Config.fromKubeconfig(null, kubeconfig("client-certificate-data: \"\""), null);

        KubeClients.withoutTokenRefresh(cfg);

        assertThat(cfg.getOauthTokenProvider()).isNotNull();
        assertThat(cfg.getOauthTokenProvider().getToken()).isNull();
    }

    @Test
    void readsAKubeconfigFileAsFabric8Would(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String text = kubeconfig("client-certificate-data: Y2VydA==\nclient-key-data: a2V5").replace("context: {cluster: c, user: u}",
                "context: {cluster: c, user: u, namespace: team}");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("kubeconfig"), text);

        Config read = KubeClients.readKubeconfig(file);
        Config fabric8s = Config.fromKubeconfig(null, text, null);

        assertThat(read.getMasterUrl()).isEqualTo(fabric8s.getMasterUrl()).startsWith("https://127.0.0.1:6443");
        assertThat(read.getClientCertData()).isEqualTo(fabric8s.getClientCertData()).isEqualTo("Y2VydA==");
        assertThat(read.getClientKeyData()).isEqualTo(fabric8s.getClientKeyData()).isEqualTo("a2V5");
        assertThat(read.getNamespace()).isEqualTo(fabric8s.getNamespace()).isEqualTo("team");
        assertThat(read.getCurrentContext().getName()).isEqualTo("x");
    }

    @Test
    void tokenConfigKeepsFabric8sRefresh() {
        Config cfg = Config.fromKubeconfig(null, kubeconfig("token: abc"), null);

        KubeClients.withoutTokenRefresh(cfg);

        assertThat(cfg.getOauthTokenProvider()).isNull();
        // A token config refreshes once a minute (the refresh finds the token): nothing to fix.
        assertThat(cfg.getAutoOAuthToken() != null ? cfg.getAutoOAuthToken() : cfg.getOauthToken()).isEqualTo("abc");
    }
}
