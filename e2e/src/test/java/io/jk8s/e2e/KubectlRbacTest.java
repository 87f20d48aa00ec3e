package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.failsWith;
import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jk8s.cli.kubeconfig.Kubeconfig;
import io.jk8s.cli.pki.CertificateIssuer;
import io.jk8s.cli.pki.CertificateRequest;
import io.jk8s.cli.pki.KeyAndCertificate;
import io.jk8s.cli.pki.KeyPairs;
import io.jk8s.cli.pki.PemFiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RBAC with the real kubectl: a user "bob" with a client certificate from the cluster CA is
 * forbidden until a RoleBinding to "view" lets him read one namespace; {@code auth can-i} and
 * {@code --as} impersonation by the admin agree.
 */
@ExtendWith(SharedServer.class)
class KubectlRbacTest {

    private static final String NS = "e2e-rbac";
    private static final String OTHER_NS = "e2e-rbac-other";
    private static Kubectl bob;

    @BeforeAll
    static void setUp(Jk8sServer server, Kubectl admin) throws Exception {
        Fixtures.namespace(admin, NS);
        Fixtures.namespace(admin, OTHER_NS);
        Path tls = server.dataDir().resolve("server").resolve("tls");
        KeyAndCertificate ca = new KeyAndCertificate(PemFiles.readPrivateKey(tls.resolve("ca.key")), PemFiles.readCertificate(tls.resolve("ca.crt")));
        KeyPair keys = KeyPairs.newEcP256();
        var cert = new CertificateIssuer(Clock.systemUTC()).issue(keys.getPublic(),
                CertificateRequest.client("bob", List.of(), Duration.ofHours(1)), ca);
        Path dir = SharedServer.workDir("rbac-");
        Path kubeconfig = dir.resolve("bob.kubeconfig");
        new Kubeconfig(server.url(), ca.certificate(), new KeyAndCertificate(keys.getPrivate(), cert)).writeTo(kubeconfig);
        bob = new Kubectl(Kubectl.DEFAULT_BINARY, kubeconfig, dir.resolve("kube-cache"));
    }

    @Test
    void bobIsForbiddenUntilBoundToViewInOneNamespace(Kubectl admin) {
        failsWith(bob.run("get", "pods", "-n", NS),
                "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + NS + "\"");
        assertThat(bob.run("auth", "can-i", "list", "pods", "-n", NS).stdout().trim()).isEqualTo("no");
        assertThat(admin.run("auth", "can-i", "list", "pods", "-n", NS, "--as", "bob").stdout().trim()).isEqualTo("no");

        ok(admin.run("create", "rolebinding", "bob-view", "--clusterrole=view", "--user=bob", "-n", NS));

        await().atMost(Duration.ofSeconds(20)).until(() -> bob.run("get", "pods", "-n", NS).ok());
        assertThat(ok(bob.run("auth", "can-i", "list", "pods", "-n", NS)).trim()).isEqualTo("yes");
        assertThat(bob.run("auth", "can-i", "delete", "pods", "-n", NS).stdout().trim()).isEqualTo("no");
        failsWith(bob.run("get", "pods", "-n", OTHER_NS), "cannot list resource \"pods\"", "\"" + OTHER_NS + "\"");
        failsWith(bob.run("create", "configmap", "x", "-n", NS), "configmaps is forbidden", "cannot create resource");
        // impersonation by the admin sees the same
        ok(admin.run("get", "pods", "-n", NS, "--as", "bob"));
        failsWith(admin.run("get", "pods", "-n", OTHER_NS, "--as", "bob"), "User \"bob\" cannot list resource \"pods\"");
        assertThat(ok(admin.run("auth", "can-i", "--list", "-n", NS, "--as", "bob"))).contains("pods").contains("deployments.apps");
    }

    @Test
    void bobCannotImpersonate() {
        // Discovery as bob first (cached): kubectl shows a discovery request's 403 only as "unknown" (client-go
        // reads that body raw), so the impersonated request must be the list itself.
        bob.run("get", "pods", "-n", NS);
        failsWith(bob.run("get", "pods", "-n", NS, "--as", "alice"),
                "users \"alice\" is forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
    }

    @Test
    void theAdminMayDoAnything(Kubectl admin) {
        assertThat(ok(admin.run("auth", "can-i", "*", "*")).trim()).isEqualTo("yes");
        assertThat(ok(admin.run("get", "clusterrole", "view", "-o", "jsonpath={.aggregationRule.clusterRoleSelectors[0].matchLabels}")))
                .contains("rbac.authorization.k8s.io/aggregate-to-view");
    }
}
