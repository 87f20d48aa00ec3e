package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.failsWith;
import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Service-account tokens with the real kubectl: {@code kubectl create token} prints a token that
 * authenticates as the account ({@code kubectl auth whoami} over a kubeconfig with only that token),
 * RBAC applies to it, a token for another audience is refused, and every namespace carries the
 * {@code kube-root-ca.crt} ConfigMap with the cluster CA.
 */
@ExtendWith(SharedServer.class)
class KubectlServiceAccountTokenTest {

    private static final String NS = "e2e-sa-token";
    private static final String USER = "system:serviceaccount:" + NS + ":default";

    /** A kubeconfig that trusts the cluster CA and authenticates with {@code token} alone. */
    private static Kubectl withToken(Jk8sServer server, String token) throws IOException {
        Path dir = SharedServer.workDir("sa-token-");
        Path kubeconfig = dir.resolve("sa.kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: jk8s
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: sa
                  user:
                    token: %s
                contexts:
                - name: sa
                  context:
                    cluster: jk8s
                    user: sa
                current-context: sa
                """.formatted(server.url(), caFile(server), token));
        return new Kubectl(Kubectl.DEFAULT_BINARY, kubeconfig, dir.resolve("kube-cache"));
    }

    private static Path caFile(Jk8sServer server) {
        return server.dataDir().resolve("server").resolve("tls").resolve("ca.crt");
    }

    @Test
    void createTokenAuthenticatesAsTheServiceAccount(Jk8sServer server, Kubectl admin) throws Exception {
        Fixtures.namespace(admin, NS);
        // The ServiceAccount controller creates "default" in the new namespace.
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.run("get", "serviceaccount", "default", "-n", NS).ok());
        String token = ok(admin.run("create", "token", "default", "-n", NS)).trim();
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        Kubectl sa = withToken(server, token);

        String whoami = ok(sa.run("auth", "whoami"));
        assertThat(whoami).contains(USER).contains("system:serviceaccounts").contains("system:serviceaccounts:" + NS)
                .contains("system:authenticated");

        failsWith(sa.run("get", "pods", "-n", NS),
                "pods is forbidden: User \"" + USER + "\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + NS + "\"");
        ok(admin.run("create", "rolebinding", "sa-view", "--clusterrole=view", "--serviceaccount=" + NS + ":default", "-n", NS));
        await().atMost(Duration.ofSeconds(20)).until(() -> sa.run("get", "pods", "-n", NS).ok());

        String vaultToken = ok(admin.run("create", "token", "default", "-n", NS, "--audience=vault", "--duration=10m")).trim();
        failsWith(withToken(server, vaultToken).run("auth", "whoami"), "Unauthorized");
        failsWith(admin.run("create", "token", "default", "-n", NS, "--duration=5m"), "spec.expirationSeconds",
                "may not specify a duration less than 10 minutes");
    }

    @Test
    void everyNamespaceHasTheRootCaConfigMap(Jk8sServer server, Kubectl admin) throws Exception {
        Fixtures.namespace(admin, NS + "-ca");
        String ca = Files.readString(caFile(server));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                admin.run("get", "configmap", "kube-root-ca.crt", "-n", NS + "-ca", "-o", "jsonpath={.data.ca\\.crt}").stdout())
                .isEqualTo(ca));
    }
}
