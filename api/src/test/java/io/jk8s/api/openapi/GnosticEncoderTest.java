package io.jk8s.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.jk8s.api.kubectl.TestTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decodes the protobuf generically (by field number, as gnostic's OpenAPIv2.proto defines them). */
class GnosticEncoderTest {

    private final OpenApiGenerator generator = new OpenApiGenerator(TestTypes.TYPES);

    private static UnknownFieldSet message(UnknownFieldSet parent, int field) throws Exception {
        return UnknownFieldSet.parseFrom(parent.getField(field).getLengthDelimitedList().get(0));
    }

    private static List<UnknownFieldSet> messages(UnknownFieldSet parent, int field) throws Exception {
        List<UnknownFieldSet> out = new ArrayList<>();
        for (ByteString b : parent.getField(field).getLengthDelimitedList()) {
            out.add(UnknownFieldSet.parseFrom(b));
        }
        return out;
    }

    private static String string(UnknownFieldSet m, int field) {
        return m.getField(field).getLengthDelimitedList().isEmpty() ? ""
                : m.getField(field).getLengthDelimitedList().get(0).toStringUtf8();
    }

    /** NamedX entries (name = 1, value = 2) of a repeated field, as name → value. */
    private static UnknownFieldSet named(UnknownFieldSet parent, int field, String name) throws Exception {
        for (UnknownFieldSet entry : messages(parent, field)) {
            if (string(entry, 1).equals(name)) {
                return message(entry, 2);
            }
        }
        throw new AssertionError(name + " not found");
    }

    @Test
    void encodesDocumentDefinitionsAndExtensions() throws Exception {
        UnknownFieldSet doc = UnknownFieldSet.parseFrom(generator.v2Protobuf());
        assertThat(string(doc, 1)).isEqualTo("2.0");
        UnknownFieldSet definitions = message(doc, 9);
        UnknownFieldSet deployment = named(definitions, 1, "io.k8s.api.apps.v1.Deployment");
        assertThat(string(message(deployment, 22), 1)).isEqualTo("object");
        UnknownFieldSet gvk = named(deployment, 31, "x-kubernetes-group-version-kind");
        assertThat(string(gvk, 2)).contains("\"kind\":\"Deployment\"");
        UnknownFieldSet podSpec = named(definitions, 1, "io.k8s.api.core.v1.PodSpec");
        UnknownFieldSet containers = named(message(podSpec, 25), 1, "containers");
        assertThat(string(named(containers, 31, "x-kubernetes-patch-merge-key"), 2)).isEqualTo("\"name\"\n");
        assertThat(string(message(message(containers, 23), 1), 1))
                .isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
    }

    @Test
    void encodesPatchOperationsWithFieldValidation() throws Exception {
        UnknownFieldSet doc = UnknownFieldSet.parseFrom(generator.v2Protobuf());
        UnknownFieldSet item = named(message(doc, 8), 2, "/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
        UnknownFieldSet patch = message(item, 8);
        assertThat(string(patch, 5)).isEqualTo("patchAppsV1NamespacedDeployment");
        List<String> queryParams = new ArrayList<>();
        for (UnknownFieldSet p : messages(patch, 8)) {
            UnknownFieldSet parameter = message(p, 1);
            if (parameter.hasField(2)) {
                UnknownFieldSet nonBody = message(parameter, 2);
                if (nonBody.hasField(3)) {
                    queryParams.add(string(message(nonBody, 3), 4));
                }
            }
        }
        assertThat(queryParams).contains("fieldValidation", "dryRun", "fieldManager", "force");
        assertThat(string(named(patch, 13, "x-kubernetes-action"), 2)).isEqualTo("\"patch\"\n");
        assertThat(generator.v2Protobuf()).isEqualTo(generator.v2Protobuf());
    }
}
