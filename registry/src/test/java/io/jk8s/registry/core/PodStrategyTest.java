package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import io.jk8s.registry.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.jk8s.registry.TestJson.fields;
import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class PodStrategyTest {

    private final KindStrategy pods = TestJson.strategy("", "pods");

    static ObjectNode pod(String spec) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'default'},'spec':" + spec + "}");
    }

    static ObjectNode nginx() {
        return pod("{'containers':[{'name':'c','image':'nginx:1.25','ports':[{'containerPort':80}]}]}");
    }

    @Test
    void appliesUpstreamDefaultsAndAdmissionDefaults() {
        ObjectNode p = nginx();
        assertThat(TestJson.create(pods, p)).isEmpty();
        assertThat(p.at("/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(p.at("/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(p.at("/spec/schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(p.at("/spec/terminationGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(p.at("/spec/securityContext").isObject()).isTrue();
        assertThat(p.at("/spec/enableServiceLinks").asBoolean()).isTrue();
        assertThat(p.at("/spec/priority").asLong()).isZero();
        assertThat(p.at("/spec/preemptionPolicy").asText()).isEqualTo("PreemptLowerPriority");
        assertThat(p.at("/spec/serviceAccountName").asText()).isEqualTo("default");
        assertThat(p.at("/spec/serviceAccount").asText()).isEqualTo("default");
        assertThat(p.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(p.at("/spec/containers/0/terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(p.at("/spec/containers/0/terminationMessagePolicy").asText()).isEqualTo("File");
        assertThat(p.at("/spec/containers/0/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(p.at("/spec/containers/0/resources").isObject()).isTrue();
        assertThat(p.at("/spec/tolerations")).isEqualTo(json("{'t':[{'key':'node.kubernetes.io/not-ready','operator':'Exists',"
                + "'effect':'NoExecute','tolerationSeconds':300},{'key':'node.kubernetes.io/unreachable','operator':'Exists',"
                + "'effect':'NoExecute','tolerationSeconds':300}]}").get("t"));
        assertThat(p.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(p.at("/status/qosClass").asText()).isEqualTo("BestEffort");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"busybox, Always", "busybox:latest, Always", "busybox:1.35, IfNotPresent", "localhost:5000/app, Always",
            "localhost:5000/app:v1, IfNotPresent", "app@sha256:abc, IfNotPresent"})
    void pullPolicyDependsOnTheTag(String image, String policy) {
        assertThat(PodSpecDefaults.pullPolicyFor(image)).isEqualTo(policy);
    }

    @Test
    void limitsBecomeRequestsAndGiveGuaranteedQos() {
        ObjectNode p = pod("{'containers':[{'name':'c','image':'x:1','resources':{'limits':{'cpu':'1','memory':'1Gi'}}}]}");
        assertThat(TestJson.create(pods, p)).isEmpty();
        assertThat(p.at("/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("1");
        assertThat(p.at("/status/qosClass").asText()).isEqualTo("Guaranteed");
        ObjectNode burstable = pod("{'containers':[{'name':'c','image':'x:1','resources':{'requests':{'cpu':'100m'}}}]}");
        TestJson.create(pods, burstable);
        assertThat(burstable.at("/status/qosClass").asText()).isEqualTo("Burstable");
    }

    @Test
    void createDropsClientStatus() {
        ObjectNode p = nginx();
        p.putObject("status").put("phase", "Running").put("podIP", "1.2.3.4");
        TestJson.create(pods, p);
        assertThat(p.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(p.at("/status/podIP").isMissingNode()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no containers | {'containers':[]} | spec.containers: Required value",
            "missing name | {'containers':[{'image':'x'}]} | spec.containers[0].name: Required value",
            "bad name | {'containers':[{'name':'Web','image':'x'}]} | spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label",
            "duplicate name | {'containers':[{'name':'a','image':'x'},{'name':'a','image':'y'}]} | spec.containers[1].name: Duplicate value: \"a\"",
            "missing image | {'containers':[{'name':'a'}]} | spec.containers[0].image: Required value",
            "port too big | {'containers':[{'name':'a','image':'x','ports':[{'containerPort':70000}]}]} | spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            "bad protocol | {'containers':[{'name':'a','image':'x','ports':[{'containerPort':80,'protocol':'HTTP'}]}]} | spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            "restart policy | {'restartPolicy':'Sometimes','containers':[{'name':'a','image':'x'}]} | spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "request above limit | {'containers':[{'name':'a','image':'x','resources':{'requests':{'cpu':'2'},'limits':{'cpu':'1'}}}]} | spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
            "mount of unknown volume | {'containers':[{'name':'a','image':'x','volumeMounts':[{'name':'data','mountPath':'/d'}]}]} | spec.containers[0].volumeMounts[0].name: Not found",
            "dns policy | {'dnsPolicy':'Google','containers':[{'name':'a','image':'x'}]} | spec.dnsPolicy: Unsupported value: \"Google\"",
            "image whitespace | {'containers':[{'name':'a','image':'x '}]} | spec.containers[0].image: Invalid value: \"x \": must not have leading or trailing whitespace",
            "probe without handler | {'containers':[{'name':'a','image':'x','livenessProbe':{'periodSeconds':5}}]} | spec.containers[0].livenessProbe: Required value: must specify a handler type",
            "liveness success threshold | {'containers':[{'name':'a','image':'x','livenessProbe':{'exec':{'command':['true']},'successThreshold':2}}]} | spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "sidecar policy | {'initContainers':[{'name':'s','image':'x','restartPolicy':'Never'}],'containers':[{'name':'a','image':'x'}]} | spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            "container restart policy | {'containers':[{'name':'a','image':'x','restartPolicy':'Always'}]} | spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
            "toleration effect | {'tolerations':[{'key':'k','operator':'Exists','effect':'Sometimes'}],'containers':[{'name':'a','image':'x'}]} | spec.tolerations[0].effect: Unsupported value"})
    void reportsInvalidSpecsWithUpstreamPaths(String name, String spec, String expected) {
        List<FieldError> errors = TestJson.create(pods, pod(spec));
        assertThat(messages(errors)).anySatisfy(m -> assertThat(m).startsWith(expected));
    }

    @Test
    void reportsEveryErrorAtOnce() {
        ObjectNode p = json("{'metadata':{'name':'Bad_Name','namespace':'default','labels':{'a/b/c':'x'}},'spec':{'containers':[{'name':'','image':''}]}}");
        List<FieldError> errors = TestJson.create(pods, p);
        assertThat(fields(errors)).contains("metadata.name", "metadata.labels", "spec.containers[0].name", "spec.containers[0].image");
    }

    @Test
    void nameOrGenerateNameIsRequired() {
        ObjectNode p = nginx();
        ((ObjectNode) p.get("metadata")).remove("name");
        assertThat(messages(TestJson.create(pods, p))).containsExactly("metadata.name: Required value: name or generateName is required");
        ObjectNode generated = nginx();
        ((ObjectNode) generated.get("metadata")).remove("name");
        ((ObjectNode) generated.get("metadata")).put("generateName", "web-");
        assertThat(TestJson.create(pods, generated)).isEmpty();
    }

    @Test
    void namespaceIsRequired() {
        ObjectNode p = nginx();
        ((ObjectNode) p.get("metadata")).remove("namespace");
        assertThat(messages(TestJson.create(pods, p))).containsExactly("metadata.namespace: Required value");
    }

    @Test
    void imageAndNewTolerationsMayChangeButNothingElse() {
        ObjectNode old = nginx();
        TestJson.create(pods, old);
        ObjectNode newImage = old.deepCopy();
        ((ObjectNode) newImage.at("/spec/containers/0")).put("image", "nginx:1.26");
        ((com.fasterxml.jackson.databind.node.ArrayNode) newImage.at("/spec/tolerations")).addObject().put("key", "k").put("operator", "Exists");
        assertThat(TestJson.update(pods, newImage, old)).isEmpty();

        ObjectNode newPort = old.deepCopy();
        ((ObjectNode) newPort.at("/spec/containers/0/ports/0")).put("containerPort", 81);
        List<FieldError> errors = TestJson.update(pods, newPort, old);
        assertThat(fields(errors)).containsExactly("spec");
        assertThat(errors.get(0).message()).startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`");

        ObjectNode removedToleration = old.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) removedToleration.at("/spec/tolerations")).remove(0);
        Json.obj(removedToleration, "spec").put("priority", 0);
        assertThat(fields(TestJson.update(pods, removedToleration, old))).isEmpty(); // admission re-adds the default toleration
    }

    @Test
    void updateKeepsStatusAndStatusUpdateKeepsSpec() {
        ObjectNode old = nginx();
        TestJson.create(pods, old);
        Json.obj(old, "status").put("phase", "Running");
        ObjectNode update = old.deepCopy();
        Json.obj(update, "status").put("phase", "Failed");
        pods.prepareForUpdate(update, old);
        assertThat(update.at("/status/phase").asText()).isEqualTo("Running");

        ObjectNode statusUpdate = old.deepCopy();
        Json.obj(statusUpdate, "status").put("phase", "Succeeded");
        ((ObjectNode) statusUpdate.at("/spec/containers/0")).put("image", "evil:1");
        Json.obj(statusUpdate, "metadata").putObject("labels").put("role", "x");
        pods.prepareForStatusUpdate(statusUpdate, old);
        assertThat(statusUpdate.at("/status/phase").asText()).isEqualTo("Succeeded");
        assertThat(statusUpdate.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.25");
        assertThat(statusUpdate.at("/metadata/labels/role").asText()).isEqualTo("x");
    }

    @Test
    void selectableFieldsMatchUpstream() {
        ObjectNode p = nginx();
        TestJson.create(pods, p);
        Json.obj(p, "spec").put("nodeName", "n1");
        Json.obj(p, "status").putArray("podIPs").addObject().put("ip", "10.244.0.5");
        assertThat(pods.selectableFields(p)).containsEntry("metadata.name", "web").containsEntry("metadata.namespace", "default")
                .containsEntry("spec.nodeName", "n1").containsEntry("spec.restartPolicy", "Always")
                .containsEntry("spec.schedulerName", "default-scheduler").containsEntry("spec.serviceAccountName", "default")
                .containsEntry("spec.hostNetwork", "false").containsEntry("status.phase", "Pending")
                .containsEntry("status.podIP", "10.244.0.5").containsEntry("status.nominatedNodeName", "");
    }
}
