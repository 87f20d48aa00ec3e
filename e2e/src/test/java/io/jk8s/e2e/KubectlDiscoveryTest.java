package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kubectl finds its way around the server: version, discovery, OpenAPI, built-in namespaces. */
@ExtendWith(SharedServer.class)
class KubectlDiscoveryTest {

    @Test
    void versionReportsKubernetes132(Kubectl kubectl) {
        String out = ok(kubectl.run("version", "-o", "json"));
        assertThat(out).contains("\"serverVersion\"").containsPattern("\"gitVersion\":\\s*\"v1\\.32\\.");
    }

    @Test
    void clusterInfoNamesTheControlPlane(Kubectl kubectl, Jk8sServer server) {
        String out = ok(kubectl.run("cluster-info"));
        assertThat(out).contains("Kubernetes control plane").contains(server.url());
    }

    @Test
    void apiResourcesListsCoreAndAppsKindsWithShortNames(Kubectl kubectl) {
        String out = ok(kubectl.run("api-resources"));
        assertThat(out).containsPattern("(?m)^NAME\\s+SHORTNAMES\\s+APIVERSION\\s+NAMESPACED\\s+KIND")
                .containsPattern("(?m)^pods\\s+po\\s+v1\\s+true\\s+Pod")
                .containsPattern("(?m)^namespaces\\s+ns\\s+v1\\s+false\\s+Namespace")
                .containsPattern("(?m)^configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap")
                .containsPattern("(?m)^services\\s+svc\\s+v1\\s+true\\s+Service")
                .containsPattern("(?m)^deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment");
    }

    @Test
    void apiVersionsListsCoreAndApps(Kubectl kubectl) {
        String out = ok(kubectl.run("api-versions"));
        assertThat(out.lines()).contains("v1", "apps/v1");
    }

    @Test
    void explainDescribesContainerFieldsFromOpenApi(Kubectl kubectl) {
        String out = ok(kubectl.run("explain", "pod.spec.containers"));
        assertThat(out).contains("KIND:").contains("Pod").contains("FIELD:").contains("containers")
                .contains("image").contains("env");
    }

    @Test
    void builtInNamespacesExistAndAreActive(Kubectl kubectl) {
        String out = ok(kubectl.run("get", "ns"));
        for (String ns : new String[] {"default", "kube-system", "kube-public", "kube-node-lease"}) {
            assertThat(out).containsPattern("(?m)^" + ns + "\\s+Active\\s+");
        }
    }

    @Test
    void createdNamespaceIsListedAndCanBeDeleted(Kubectl kubectl) {
        ok(kubectl.run("create", "ns", "e2e-discovery-created"));
        assertThat(ok(kubectl.run("get", "ns", "e2e-discovery-created", "-o", "name")))
                .isEqualToIgnoringWhitespace("namespace/e2e-discovery-created");
        assertThat(ok(kubectl.run("delete", "ns", "e2e-discovery-created", "--wait=false")))
                .contains("namespace \"e2e-discovery-created\" deleted");
    }
}
