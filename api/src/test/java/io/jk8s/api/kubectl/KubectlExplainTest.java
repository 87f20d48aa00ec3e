package io.jk8s.api.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code kubectl explain} (1.32 reads OpenAPI v3) against the generated documents. */
class KubectlExplainTest {

    @TempDir
    Path home;

    private KubectlFixture fixture;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(KubectlFixture.available(), "kubectl 1.32 not installed");
        fixture = new KubectlFixture(TestTypes.TYPES, home, (method, path, query, contentType, body) -> null);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String explain(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "explain";
        System.arraycopy(args, 0, all, 1, args.length);
        KubectlFixture.Result r = fixture.kubectl(all);
        assertThat(r.exitCode()).as(r.output()).isZero();
        return r.output();
    }

    @Test
    void explainsNestedFieldsOfADeployment() throws Exception {
        assertThat(explain("deployment.spec.template.spec.containers"))
                .contains("GROUP:      apps").contains("KIND:       Deployment")
                .contains("FIELD: containers <[]Container>")
                .contains("image\t<string>")
                .contains("name\t<string> -required-")
                .contains("ports\t<[]ContainerPort>");
    }

    @Test
    void explainsACoreKindRecursively() throws Exception {
        assertThat(explain("pods", "--recursive"))
                .contains("KIND:       Pod").contains("VERSION:    v1").contains("containerPort")
                .contains("metadata\t<ObjectMeta>");
    }

    @Test
    void explainsFromTheOpenApiV2Protobuf() throws Exception {
        assertThat(explain("deployment.spec.strategy", "--output=plaintext-openapiv2"))
                .contains("KIND:     Deployment").contains("RESOURCE: strategy <Object>")
                .contains("rollingUpdate\t<Object>");
    }

    /** Older and newer kubectl read the same v3 documents (1.27 was the first to explain from v3). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1.27", "1.30", "1.33"})
    void otherKubectlVersionsExplainToo(String version) throws Exception {
        Path binary = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl." + version);
        assumeTrue(java.nio.file.Files.isExecutable(binary), "kubectl " + version + " not installed");
        try (KubectlFixture other = new KubectlFixture(binary, TestTypes.TYPES, home, (m, p, q, c, b) -> null)) {
            KubectlFixture.Result r = other.kubectl("explain", "statefulset.spec.template.spec.volumes");
            assertThat(r.exitCode()).as(r.output()).isZero();
            assertThat(r.output()).contains("StatefulSet").contains("name\t<string> -required-")
                    .contains("configMap\t<ConfigMapVolumeSource>");
        }
    }
}
