package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.failsWith;
import static io.jk8s.e2e.Expect.ok;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input: kubectl prints the server's (or its own) clear error and exits non-zero. */
@ExtendWith(SharedServer.class)
class KubectlErrorsTest {

    private static final String NS = "e2e-errors";

    @BeforeAll
    static void namespace(Kubectl kubectl) {
        Fixtures.namespace(kubectl, NS);
    }

    @Test
    void malformedYamlIsRejected(Kubectl kubectl) {
        failsWith(kubectl.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: [name: broken\n", "apply", "-n", NS, "-f", "-"),
                "error", "yaml");
    }

    @Test
    void invalidNameIsExplainedByTheServer(Kubectl kubectl) {
        failsWith(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Bad_Name}
                """, "create", "-n", NS, "-f", "-"),
                "ConfigMap \"Bad_Name\" is invalid", "metadata.name", "RFC 1123");
    }

    @Test
    void missingRequiredFieldIsExplainedByTheServer(Kubectl kubectl) {
        failsWith(kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: no-containers}
                spec: {}
                """, "apply", "-n", NS, "-f", "-"),
                "Pod \"no-containers\" is invalid", "spec.containers", "Required value");
    }

    @Test
    void unknownFieldIsRejectedByStrictFieldValidation(Kubectl kubectl) {
        failsWith(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: typo}
                dataa: {a: b}
                """, "apply", "-n", NS, "-f", "-"),
                "unknown field", "dataa");
    }

    @Test
    void missingObjectIsNotFound(Kubectl kubectl) {
        failsWith(kubectl.run("get", "cm", "does-not-exist", "-n", NS),
                "Error from server (NotFound): configmaps \"does-not-exist\" not found");
    }

    @Test
    void duplicateCreateIsAlreadyExists(Kubectl kubectl) {
        Fixtures.configMap(kubectl, NS, "twice", "k", "v");
        failsWith(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: twice}
                """, "create", "-n", NS, "-f", "-"),
                "Error from server (AlreadyExists)", "configmaps \"twice\" already exists");
    }

    @Test
    void unknownResourceTypeIsReported(Kubectl kubectl) {
        failsWith(kubectl.run("get", "frobnicators"), "the server doesn't have a resource type \"frobnicators\"");
        ok(kubectl.run("get", "ns", "default"));
    }
}
