package io.jk8s.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PatchMeta DEPLOYMENT = PatchMetas.forModel(Deployment.class);
    private static final PatchMeta POD = PatchMetas.forModel(Pod.class);

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode apply(String doc, String patch, PatchMeta meta) {
        return StrategicMergePatch.apply(json(doc), json(patch), meta);
    }

    private static final String DEPLOY = """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web','x':'1'}},
             'spec':{'replicas':2,
               'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1,'maxUnavailable':0}},
               'template':{'metadata':{'labels':{'app':'web'}},'spec':{
                 'containers':[
                   {'name':'web','image':'nginx:1.24','ports':[{'containerPort':80,'protocol':'TCP'}],
                    'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
                   {'name':'sidecar','image':'busybox:1.35'}],
                 'volumes':[{'name':'data','emptyDir':{}}]}}}}""";

    @Test
    void mergesContainersByNameAndKeepsOtherFields() {
        JsonNode out = apply(DEPLOY, "{'spec':{'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]}}}}",
                DEPLOYMENT);
        JsonNode containers = out.at("/spec/template/spec/containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).get("image").asText()).isEqualTo("nginx:1.25");
        assertThat(containers.get(0).at("/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(containers.get(1).get("name").asText()).isEqualTo("sidecar");
    }

    @Test
    void appliesKubectlThreeWayPatchDeletingAContainerAndAnEnvVar() {
        // What `kubectl apply` sends after removing the sidecar and env B and bumping the image.
        String patch = """
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
                 'spec':{'template':{'spec':{
                   '$setElementOrder/containers':[{'name':'web'}],
                   'containers':[{'$setElementOrder/env':[{'name':'A'}],'env':[{'$patch':'delete','name':'B'}],
                                  'image':'nginx:1.25','name':'web'},
                                 {'$patch':'delete','name':'sidecar'}]}}}}""";
        JsonNode out = apply(DEPLOY, patch, DEPLOYMENT);
        assertThat(out.at("/spec/template/spec/containers")).hasSize(1);
        assertThat(out.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.25");
        assertThat(out.at("/spec/template/spec/containers/0/env").toString()).isEqualTo("[{\"name\":\"A\",\"value\":\"1\"}]");
        assertThat(out.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").asText()).isEqualTo("{}");
        assertThat(out.toString()).doesNotContain("$patch").doesNotContain("$setElementOrder");
    }

    @Test
    void setElementOrderReordersAndInterleavesServerOnlyItems() {
        String doc = "{'spec':{'containers':[{'name':'a'},{'name':'server'},{'name':'b'}]}}";
        String patch = "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'},{'name':'c'}],"
                + "'containers':[{'name':'c','image':'x'}]}}";
        JsonNode out = apply(doc, patch, POD);
        assertThat(out.at("/spec/containers").findValuesAsText("name")).containsExactly("server", "b", "a", "c");
    }

    @Test
    void withoutSetElementOrderPatchedItemsComeFirstAsUpstream() {
        String doc = "{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}";
        JsonNode out = apply(doc, "{'spec':{'containers':[{'name':'d'},{'name':'b','image':'x'}]}}", POD);
        // upstream interleaves server-only items by their server position: a (0) is before b (1)
        assertThat(out.at("/spec/containers").findValuesAsText("name")).containsExactly("d", "a", "b");
    }

    @Test
    void retainKeysClearsTheOtherVolumeSource() {
        String patch = "{'spec':{'template':{'spec':{'volumes':[{'$retainKeys':['configMap','name'],"
                + "'configMap':{'name':'cm'},'name':'data'}]}}}}";
        JsonNode out = apply(DEPLOY, patch, DEPLOYMENT);
        assertThat(out.at("/spec/template/spec/volumes/0").toString())
                .isEqualTo("{\"name\":\"data\",\"configMap\":{\"name\":\"cm\"}}");
    }

    @Test
    void retainKeysOnDeploymentStrategyDropsRollingUpdate() {
        JsonNode out = apply(DEPLOY, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}", DEPLOYMENT);
        assertThat(out.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
    }

    @Test
    void retainKeysMustListEveryPatchedField() {
        assertThatThrownBy(() -> apply(DEPLOY, "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}",
                DEPLOYMENT)).isInstanceOf(PatchException.class).hasMessageStartingWith("spec.strategy.$retainKeys");
    }

    @Test
    void finalizersMergeAsASetAndDeleteFromPrimitiveList() {
        String doc = "{'metadata':{'finalizers':['a','b']}}";
        JsonNode out = apply(doc, "{'metadata':{'finalizers':['c','b']}}", POD);
        assertThat(out.at("/metadata/finalizers").toString()).isEqualTo("[\"c\",\"a\",\"b\"]");
        out = apply(doc, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a'],"
                + "'$setElementOrder/finalizers':['c','b'],'finalizers':['c']}}", POD);
        assertThat(out.at("/metadata/finalizers").toString()).isEqualTo("[\"c\",\"b\"]");
    }

    @Test
    void nullDeletesMapKeys() {
        JsonNode out = apply(DEPLOY, "{'metadata':{'labels':{'x':null,'y':'2'}},'spec':{'replicas':null}}", DEPLOYMENT);
        assertThat(out.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"web\",\"y\":\"2\"}");
        assertThat(out.at("/spec").has("replicas")).isFalse();
    }

    @Test
    void patchReplaceOnAMapReplacesIt() {
        JsonNode out = apply(DEPLOY, "{'metadata':{'labels':{'$patch':'replace','only':'me'}}}", DEPLOYMENT);
        assertThat(out.at("/metadata/labels").toString()).isEqualTo("{\"only\":\"me\"}");
    }

    @Test
    void patchDeleteOnAMapEmptiesIt() {
        JsonNode out = apply(DEPLOY, "{'spec':{'strategy':{'$patch':'delete'}}}", DEPLOYMENT);
        assertThat(out.at("/spec/strategy").toString()).isEqualTo("{}");
    }

    @Test
    void replaceElementReplacesTheWholeList() {
        JsonNode out = apply(DEPLOY, "{'spec':{'template':{'spec':{'containers':[{'$patch':'replace'},"
                + "{'name':'only','image':'x'}]}}}}", DEPLOYMENT);
        assertThat(out.at("/spec/template/spec/containers").toString())
                .isEqualTo("[{\"name\":\"only\",\"image\":\"x\"}]");
    }

    @Test
    void listsWithoutStrategyAreReplaced() {
        String doc = "{'spec':{'containers':[{'name':'a','args':['1','2'],'command':['sh']}],"
                + "'tolerations':[{'key':'k1'},{'key':'k2'}]}}";
        JsonNode out = apply(doc, "{'spec':{'containers':[{'name':'a','args':['3']}],'tolerations':[{'key':'k3'}]}}", POD);
        assertThat(out.at("/spec/containers/0/args").toString()).isEqualTo("[\"3\"]");
        assertThat(out.at("/spec/containers/0/command").toString()).isEqualTo("[\"sh\"]");
        assertThat(out.at("/spec/tolerations").toString()).isEqualTo("[{\"key\":\"k3\"}]");
    }

    @Test
    void mergesServicePortsByPortAndContainerPortsByContainerPort() {
        String svc = "{'spec':{'ports':[{'port':80,'targetPort':8080,'name':'http'},{'port':443,'name':'https'}]}}";
        JsonNode out = StrategicMergePatch.apply(json(svc), json("{'spec':{'ports':[{'port':443,'targetPort':8443}]}}"),
                PatchMetas.forModel(Service.class));
        assertThat(out.at("/spec/ports")).hasSize(2);
        assertThat(out.at("/spec/ports/1/targetPort").asInt()).isEqualTo(8443);
        assertThat(out.at("/spec/ports/1/name").asText()).isEqualTo("https");
    }

    @Test
    void ownerReferencesMergeByUid() {
        String doc = "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'b'}]}}";
        JsonNode out = apply(doc, "{'metadata':{'ownerReferences':[{'uid':'2','controller':true}]}}", POD);
        assertThat(out.at("/metadata/ownerReferences/1/controller").asBoolean()).isTrue();
        assertThat(out.at("/metadata/ownerReferences")).hasSize(2);
    }

    @Test
    void conditionsMergeByType() {
        String doc = "{'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}";
        JsonNode out = apply(doc, "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}", POD);
        assertThat(out.at("/status/conditions/0/status").asText()).isEqualTo("True");
        assertThat(out.at("/status/conditions")).hasSize(2);
    }

    @Test
    void unknownFieldsBehaveLikeMergePatch() {
        String doc = "{'spec':{'custom':{'list':[{'name':'a','v':1}],'keep':1}}}";
        JsonNode out = apply(doc, "{'spec':{'custom':{'list':[{'name':'a','v':2}]}}}", POD);
        assertThat(out.at("/spec/custom").toString()).isEqualTo("{\"list\":[{\"name\":\"a\",\"v\":2}],\"keep\":1}");
        out = apply(doc, "{'spec':{'custom':{'list':[{'name':'b'}]}}}", PatchMeta.none());
        assertThat(out.at("/spec/custom/list").toString()).isEqualTo("[{\"name\":\"b\"}]");
    }

    @Test
    void directivesNeverLeakIntoNewValues() {
        String patch = "{'spec':{'template':{'spec':{'initContainers':[{'name':'i','image':'x'},{'$patch':'delete','name':'z'}],"
                + "'affinity':{'$patch':'replace','nodeAffinity':{}}}}}}";
        JsonNode out = apply(DEPLOY, patch, DEPLOYMENT);
        assertThat(out.at("/spec/template/spec/initContainers").toString()).isEqualTo("[{\"name\":\"i\",\"image\":\"x\"}]");
        assertThat(out.at("/spec/template/spec/affinity").toString()).isEqualTo("{\"nodeAffinity\":{}}");
    }

    @Test
    void doesNotModifyInputs() {
        JsonNode doc = json(DEPLOY);
        JsonNode patch = json("{'spec':{'template':{'spec':{'containers':[{'$patch':'delete','name':'sidecar'}]}}}}");
        String before = doc.toString() + patch;
        StrategicMergePatch.apply(doc, patch, DEPLOYMENT);
        assertThat(doc.toString() + patch).isEqualTo(before);
    }

    @Test
    void malformedPatchesNameThePath() {
        assertThatThrownBy(() -> apply(DEPLOY, "{'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}", DEPLOYMENT))
                .isInstanceOf(PatchException.class)
                .hasMessageContaining("spec.template.spec.containers")
                .hasMessageContaining("merge key: name");
        assertThatThrownBy(() -> apply(DEPLOY, "{'metadata':{'$patch':'explode'}}", DEPLOYMENT))
                .isInstanceOf(PatchException.class).hasMessageStartingWith("metadata:");
        assertThatThrownBy(() -> apply(DEPLOY, "{'spec':{'template':{'spec':{'containers':[{'$patch':'merge'}]}}}}",
                DEPLOYMENT)).isInstanceOf(PatchException.class);
        assertThatThrownBy(() -> StrategicMergePatch.apply(json(DEPLOY), json("[]"), DEPLOYMENT))
                .isInstanceOf(PatchException.class);
    }
}
