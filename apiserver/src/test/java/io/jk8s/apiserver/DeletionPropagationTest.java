package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Foreground and Orphan deletes leave the object for the garbage collector, marked with its finalizer. */
class DeletionPropagationTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(BuiltinRegistry.create());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static void create(String name) {
        t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static HttpResponse<String> delete(String name, String policy) {
        return t.raw("DELETE", "/api/v1/namespaces/default/configmaps/" + name, "application/json",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"" + policy + "\"}", null);
    }

    @ParameterizedTest(name = "{0} adds {1}")
    @CsvSource({"Foreground,foregroundDeletion", "Orphan,orphan"})
    void gcPoliciesMarkTheObjectWithTheirFinalizer(String policy, String finalizer) {
        String name = "cm-" + policy.toLowerCase();
        create(name);
        HttpResponse<String> r = delete(name, policy);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
        ConfigMap left = t.client.configMaps().inNamespace("default").withName(name).get();
        assertThat(left).isNotNull();
        assertThat(left.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(left.getMetadata().getFinalizers()).containsExactly(finalizer);

        // The collector removing its finalizer completes the deletion.
        t.client.configMaps().inNamespace("default").withName(name).edit(cm -> {
            cm.getMetadata().getFinalizers().clear();
            return cm;
        });
        assertThat(t.client.configMaps().inNamespace("default").withName(name).get()).isNull();
    }

    @Test
    void backgroundDeletesAtOnceAndAnUnknownPolicyIsABadRequest() {
        create("cm-background");
        assertThat(delete("cm-background", "Background").statusCode()).isEqualTo(200);
        assertThat(t.client.configMaps().inNamespace("default").withName("cm-background").get()).isNull();

        create("cm-bogus");
        HttpResponse<String> r = delete("cm-bogus", "Sideways");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("propagationPolicy").contains("Sideways");
        assertThat(t.client.configMaps().inNamespace("default").withName("cm-bogus").get()).isNotNull();
    }
}
