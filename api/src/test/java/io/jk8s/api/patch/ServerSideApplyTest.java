package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSideApplyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PatchMeta CONFIG_MAP = PatchMetas.forModel(ConfigMap.class);
    private static final PatchMeta DEPLOYMENT = PatchMetas.forModel(Deployment.class);
    private static final String NOW = "2026-11-23T18:00:00Z";

    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) JSON.readTree(s.replace('\'', '"'));
    }

    private static ObjectNode configMap(String data) throws Exception {
        return json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm'},'data':" + data + "}");
    }

    private static ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force) {
        return ServerSideApply.apply(live, config, CONFIG_MAP, manager, force, null, NOW);
    }

    private static JsonNode entry(ObjectNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields")) if (e.path("manager").asText().equals(manager)) return e;
        return null;
    }

    @Test
    void firstApplyCreatesTheObjectAndRecordsTheManagersFields() throws Exception {
        ObjectNode created = apply(null, configMap("{'a':'1','b':'2'}"), "kubectl", false);
        assertThat(created.at("/data").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
        JsonNode e = entry(created, "kubectl");
        assertThat(e.path("operation").asText()).isEqualTo("Apply");
        assertThat(e.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(e.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(e.path("time").asText()).isEqualTo(NOW);
        assertThat(e.path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:a\":{},\"f:b\":{}}}");
    }

    @Test
    void reapplyWithoutAFieldRemovesItButKeepsFieldsOthersSet() throws Exception {
        ObjectNode live = apply(null, configMap("{'a':'1','b':'2'}"), "kubectl", false);
        ((ObjectNode) live.get("data")).put("other", "x"); // set by a plain update: unowned, so not the applier's to remove
        ObjectNode next = apply(live, configMap("{'a':'1'}"), "kubectl", false);
        assertThat(next.at("/data").toString()).isEqualTo("{\"a\":\"1\",\"other\":\"x\"}");
        assertThat(entry(next, "kubectl").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:a\":{}}}");
    }

    @Test
    void anotherManagersDifferentValueConflictsUnlessForced() throws Exception {
        ObjectNode live = apply(null, configMap("{'a':'1','b':'2'}"), "alice", false);

        assertThatThrownBy(() -> apply(live, configMap("{'a':'9'}"), "bob", false))
                .isInstanceOfSatisfying(ServerSideApply.ConflictException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\" using v1: .data.a");
                    assertThat(e.conflicts()).extracting(ServerSideApply.Conflict::field).containsExactly(".data.a");
                });

        ObjectNode shared = apply(live, configMap("{'a':'1'}"), "bob", false);
        assertThat(entry(shared, "alice").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:a\":{},\"f:b\":{}}}");
        assertThat(entry(shared, "bob").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:a\":{}}}");
        ObjectNode aliceLetGo = apply(shared, configMap("{'b':'2'}"), "alice", false);
        assertThat(aliceLetGo.at("/data/a").asText()).as("bob still owns it").isEqualTo("1");

        ObjectNode forced = apply(live, configMap("{'a':'9'}"), "bob", true);
        assertThat(forced.at("/data/a").asText()).isEqualTo("9");
        assertThat(entry(forced, "alice").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:b\":{}}}");
        assertThat(entry(forced, "bob").path("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:a\":{}}}");
    }

    @Test
    void containersMergeByNameAndAnUnappliedContainerGoes() throws Exception {
        ObjectNode config = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','finalizers':['x/a']},"
                + "'spec':{'template':{'spec':{'containers':[{'name':'web','image':'busybox:1.35'}]}}}}");
        ObjectNode live = ServerSideApply.apply(null, config, DEPLOYMENT, "kubectl", false, null, NOW);
        assertThat(entry(live, "kubectl").path("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:finalizers\":{\"v:\\\"x/a\\\"\":{}}},"
                + "\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}");
        // Someone else adds a sidecar and a finalizer by patch; the status is the server's.
        ((com.fasterxml.jackson.databind.node.ArrayNode) live.at("/spec/template/spec/containers")).addObject().put("name", "sidecar").put("image", "busybox:1.35");
        ((com.fasterxml.jackson.databind.node.ArrayNode) live.at("/metadata/finalizers")).add("y/b");

        ObjectNode newImage = (ObjectNode) config.deepCopy();
        ((ObjectNode) newImage.at("/spec/template/spec/containers/0")).put("image", "busybox:1.36");
        ObjectNode next = ServerSideApply.apply(live, newImage, DEPLOYMENT, "kubectl", false, null, NOW);
        assertThat(next.at("/spec/template/spec/containers").toString()).isEqualTo(
                "[{\"name\":\"web\",\"image\":\"busybox:1.36\"},{\"name\":\"sidecar\",\"image\":\"busybox:1.35\"}]");
        assertThat(next.at("/metadata/finalizers").toString()).isEqualTo("[\"x/a\",\"y/b\"]");

        ObjectNode withoutWeb = json("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},"
                + "'spec':{'template':{'spec':{'containers':[{'name':'other','image':'busybox:1.35'}]}}}}");
        ObjectNode last = ServerSideApply.apply(next, withoutWeb, DEPLOYMENT, "kubectl", false, null, NOW);
        assertThat(last.at("/spec/template/spec/containers").findValuesAsText("name")).containsExactly("sidecar", "other");
        assertThat(last.at("/metadata/finalizers").toString()).as("x/a no longer applied, y/b never was ours").isEqualTo("[\"y/b\"]");
    }

    @Test
    void fieldsV1RoundTripsAndDescribesPaths() throws Exception {
        JsonNode v1 = JSON.readTree("{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"web\\\"}\":{\".\":{},\"f:image\":{}}}}}");
        FieldSet set = FieldSet.fromFieldsV1(v1);
        assertThat(set.toFieldsV1()).isEqualTo(v1);
        assertThat(set.paths()).extracting(FieldSet::describe).containsExactly(".spec.containers[name=web]", ".spec.containers[name=web].image");
        set.remove(java.util.List.of("f:spec", "f:containers", "k:{\"name\":\"web\"}", "f:image"));
        set.remove(java.util.List.of("f:spec", "f:containers", "k:{\"name\":\"web\"}"));
        assertThat(set.isEmpty()).isTrue();
        assertThat(set.toFieldsV1().toString()).isEqualTo("{}");
    }
}
