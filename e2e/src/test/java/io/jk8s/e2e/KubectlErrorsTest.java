package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.fails;
import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

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
        String err = fails(kubectl.runWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata: [name: broken\n", "apply", "-n", NS, "-f", "-"));
        assertThat(err).containsIgnoringCase("error").containsIgnoringCase("yaml");
    }

    @Test
    void invalidNameIsExplainedByTheServer(Kubectl kubectl) {
        String err = fails(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: Bad_Name}
                """, "create", "-n", NS, "-f", "-"));
        assertThat(err).contains("ConfigMap \"Bad_Name\" is invalid").contains("metadata.name")
                .contains("RFC 1123");
    }

    @Test
    void missingRequiredFieldIsExplainedByTheServer(Kubectl kubectl) {
        String err = fails(kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: no-containers}
                spec: {}
                """, "apply", "-n", NS, "-f", "-"));
        assertThat(err).contains("Pod \"no-containers\" is invalid").contains("spec.containers").contains("Required value");
    }

    @Test
    void unknownFieldIsRejectedByStrictFieldValidation(Kubectl kubectl) {
        String err = fails(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: typo}
                dataa: {a: b}
                """, "apply", "-n", NS, "-f", "-"));
        assertThat(err).contains("unknown field").contains("dataa");
    }

    @Test
    void missingObjectIsNotFound(Kubectl kubectl) {
        String err = fails(kubectl.run("get", "cm", "does-not-exist", "-n", NS));
        assertThat(err).contains("Error from server (NotFound): configmaps \"does-not-exist\" not found");
    }

    @Test
    void duplicateCreateIsAlreadyExists(Kubectl kubectl) {
        Fixtures.configMap(kubectl, NS, "twice", "k", "v");
        String err = fails(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: twice}
                """, "create", "-n", NS, "-f", "-"));
        assertThat(err).contains("Error from server (AlreadyExists)").contains("configmaps \"twice\" already exists");
    }

    @Test
    void unknownResourceTypeIsReported(Kubectl kubectl) {
        String err = fails(kubectl.run("get", "frobnicators"));
        assertThat(err).contains("the server doesn't have a resource type \"frobnicators\"");
    }
}
