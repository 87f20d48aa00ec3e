package io.jk8s.registry.apps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import io.jk8s.registry.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static io.jk8s.registry.TestJson.fields;
import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class WorkloadStrategiesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:30:00Z");
    private final KindStrategy deployments = TestJson.strategy("apps", "deployments");
    private final KindStrategy replicaSets = TestJson.strategy("apps", "replicasets");
    private final KindStrategy statefulSets = TestJson.strategy("apps", "statefulsets");
    private final KindStrategy daemonSets = TestJson.strategy("apps", "daemonsets");

    static ObjectNode workload(String extraSpec) {
        return json("{'metadata':{'name':'web','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'},"
                + "'spec':{" + extraSpec + (extraSpec.isEmpty() ? "" : ",") + "'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'nginx:1.25'}]}}}}");
    }

    @Test
    void deploymentDefaultsMatchUpstream() {
        ObjectNode d = workload("");
        assertThat(TestJson.create(deployments, d)).isEmpty();
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(d.at("/spec/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo("25%");
        assertThat(d.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("25%");
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(d.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(d.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(d.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(d.at("/spec/template/spec/tolerations").isMissingNode()).isTrue(); // admission defaults are for pods only
        assertThat(deployments.tracksGeneration()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "negative replicas | 'replicas':-1 | spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "recreate with rolling | 'strategy':{'type':'Recreate','rollingUpdate':{'maxSurge':1}} | spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
            "both zero | 'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':0,'maxUnavailable':0}} | spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
            "over 100% | 'strategy':{'rollingUpdate':{'maxUnavailable':'150%'}} | spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%",
            "bad strategy | 'strategy':{'type':'Blue'} | spec.strategy: Unsupported value: \"Blue\": supported values: \"Recreate\", \"RollingUpdate\"",
            "deadline | 'minReadySeconds':10,'progressDeadlineSeconds':5 | spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds",
            "never restart | 'paused':false,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'x'}]}} | spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""})
    void deploymentValidation(String name, String extra, String expected) {
        ObjectNode d = workload(extra);
        if (extra.contains("'template'")) {
            ObjectNode fixed = json("{'metadata':{'name':'web','namespace':'default'},'spec':{" + extra + ",'selector':{'matchLabels':{'app':'web'}}}}");
            d = fixed;
        }
        assertThat(messages(TestJson.create(deployments, d))).anySatisfy(m -> assertThat(m).isEqualTo(expected));
    }

    @Test
    void selectorMustMatchTemplateLabels() {
        ObjectNode d = workload("");
        ((ObjectNode) d.at("/spec/template/metadata/labels")).put("app", "other");
        assertThat(messages(TestJson.create(deployments, d))).containsExactly(
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");
        ObjectNode noSelector = workload("");
        Json.obj(noSelector, "spec").remove("selector");
        assertThat(messages(TestJson.create(deployments, noSelector))).containsExactly("spec.selector: Required value");
        ObjectNode empty = workload("");
        Json.obj(empty, "spec").putObject("selector");
        assertThat(messages(TestJson.create(deployments, empty))).singleElement().asString()
                .endsWith("empty selector is invalid for deployment");
    }

    @Test
    void selectorIsImmutable() {
        ObjectNode old = workload("");
        TestJson.create(deployments, old);
        ObjectNode changed = old.deepCopy();
        ((ObjectNode) changed.at("/spec/selector/matchLabels")).put("tier", "fe");
        ((ObjectNode) changed.at("/spec/template/metadata/labels")).put("tier", "fe");
        assertThat(messages(TestJson.update(deployments, changed, old))).containsExactly("spec.selector: Invalid value: "
                + "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"fe\"}, "
                + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
        ObjectNode scaled = old.deepCopy();
        Json.obj(scaled, "spec").put("replicas", 5);
        assertThat(TestJson.update(deployments, scaled, old)).isEmpty();
    }

    @Test
    void statusSubresourceSemantics() {
        ObjectNode d = workload("");
        d.putObject("status").put("replicas", 9);
        TestJson.create(deployments, d);
        assertThat(d.has("status")).isFalse();
        d.putObject("status").put("readyReplicas", 1);
        ObjectNode statusWrite = d.deepCopy();
        Json.obj(statusWrite, "spec").put("replicas", 100);
        Json.obj(statusWrite, "metadata").putObject("labels").put("sneaky", "yes");
        Json.obj(statusWrite, "status").put("readyReplicas", 2);
        deployments.prepareForStatusUpdate(statusWrite, d);
        assertThat(statusWrite.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(statusWrite.at("/metadata/labels").isMissingNode()).isTrue();
        assertThat(statusWrite.at("/status/readyReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void deploymentAndReplicaSetRows() {
        ObjectNode d = workload("'replicas':3");
        d.putObject("status").put("readyReplicas", 2).put("updatedReplicas", 3).put("availableReplicas", 2);
        assertThat(deployments.row(d, NOW)).containsExactly("web", "2/3", 3L, 2L, "30m", "nginx", "nginx:1.25", "app=web");
        assertThat(deployments.columns().stream().map(c -> c.name() + ":" + c.priority()).toList()).containsExactly(
                "Name:0", "Ready:0", "Up-to-date:0", "Available:0", "Age:0", "Containers:1", "Images:1", "Selector:1");
        ObjectNode rs = workload("'replicas':3");
        rs.putObject("status").put("replicas", 3).put("readyReplicas", 1);
        assertThat(replicaSets.row(rs, NOW)).containsExactly("web", 3L, 3L, 1L, "30m", "nginx", "nginx:1.25", "app=web");
        assertThat(replicaSets.selectableFields(rs)).containsEntry("status.replicas", "3");
    }

    @Test
    void statefulSetDefaultsAndForbiddenUpdates() {
        ObjectNode s = workload("'serviceName':'web','volumeClaimTemplates':[{'metadata':{'name':'data'},'spec':{'accessModes':['ReadWriteOnce']}}]");
        assertThat(TestJson.create(statefulSets, s)).isEmpty();
        assertThat(s.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(s.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(s.at("/spec/updateStrategy/rollingUpdate/partition").asInt()).isZero();
        assertThat(s.at("/spec/persistentVolumeClaimRetentionPolicy/whenDeleted").asText()).isEqualTo("Retain");
        assertThat(s.at("/spec/persistentVolumeClaimRetentionPolicy/whenScaled").asText()).isEqualTo("Retain");
        assertThat(s.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(s.at("/spec/volumeClaimTemplates/0/spec/volumeMode").asText()).isEqualTo("Filesystem");

        ObjectNode renamed = s.deepCopy();
        Json.obj(renamed, "spec").put("serviceName", "other");
        assertThat(messages(TestJson.update(statefulSets, renamed, s))).containsExactly("spec: Forbidden: updates to statefulset spec "
                + "for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' "
                + "and 'minReadySeconds' are forbidden");
        ObjectNode scaled = s.deepCopy();
        Json.obj(scaled, "spec").put("replicas", 3);
        assertThat(TestJson.update(statefulSets, scaled, s)).isEmpty();

        ObjectNode badPolicy = workload("'podManagementPolicy':'Random'");
        assertThat(messages(TestJson.create(statefulSets, badPolicy)))
                .containsExactly("spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'");
        s.putObject("status").put("readyReplicas", 1);
        assertThat(statefulSets.row(s, NOW)).containsExactly("web", "1/1", "30m", "nginx", "nginx:1.25");
    }

    @Test
    void daemonSetDefaultsValidationAndRow() {
        ObjectNode ds = workload("");
        ((ObjectNode) ds.at("/spec/template/spec")).putObject("nodeSelector").put("kubernetes.io/os", "linux");
        assertThat(TestJson.create(daemonSets, ds)).isEmpty();
        assertThat(ds.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(ds.at("/spec/updateStrategy/rollingUpdate/maxSurge").asInt()).isZero();
        assertThat(ds.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        ds.putObject("status").put("desiredNumberScheduled", 2).put("currentNumberScheduled", 2).put("numberReady", 1)
                .put("updatedNumberScheduled", 2).put("numberAvailable", 1);
        assertThat(daemonSets.row(ds, NOW)).containsExactly("web", 2L, 2L, 1L, 2L, 1L, "kubernetes.io/os=linux", "30m",
                "nginx", "nginx:1.25", "app=web");
        assertThat(ds.at("/metadata/annotations/deprecated.daemonset.template.generation").asText()).isEqualTo("1");
        ObjectNode relabeled = ds.deepCopy();
        Json.obj(relabeled, "metadata").putObject("labels").put("x", "y");
        daemonSets.prepareForUpdate(relabeled, ds);
        assertThat(relabeled.at("/metadata/annotations/deprecated.daemonset.template.generation").asText()).isEqualTo("1");
        ObjectNode newImage = ds.deepCopy();
        ((ObjectNode) newImage.at("/spec/template/spec/containers/0")).put("image", "nginx:1.26");
        assertThat(TestJson.update(daemonSets, newImage, ds)).isEmpty();
        assertThat(newImage.at("/metadata/annotations/deprecated.daemonset.template.generation").asText()).isEqualTo("2");
        ObjectNode bad = workload("'updateStrategy':{'type':'Fast'}");
        assertThat(fields(TestJson.create(daemonSets, bad))).containsExactly("spec.updateStrategy.type");
    }

    @Test
    void replicationControllerSelectorDefaultsToTemplateLabels() {
        KindStrategy rcs = TestJson.strategy("", "replicationcontrollers");
        ObjectNode rc = json("{'metadata':{'name':'web','namespace':'default'},'spec':{'template':{'metadata':{'labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'c','image':'x:1'}]}}}}");
        assertThat(TestJson.create(rcs, rc)).isEmpty();
        assertThat(rc.at("/spec/selector/app").asText()).isEqualTo("web");
        assertThat(rc.at("/metadata/labels/app").asText()).isEqualTo("web");
        assertThat(rc.at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void controllerRevisionDataIsImmutable() {
        KindStrategy revisions = TestJson.strategy("apps", "controllerrevisions");
        ObjectNode rev = json("{'metadata':{'name':'web-7d4','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z',"
                + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'StatefulSet','name':'web','uid':'u','controller':true}]},"
                + "'revision':2,'data':{'spec':{}}}");
        assertThat(TestJson.create(revisions, rev)).isEmpty();
        assertThat(revisions.row(rev, NOW)).containsExactly("web-7d4", "statefulset.apps/web", 2L, "30m");
        ObjectNode changed = rev.deepCopy();
        changed.putObject("data").put("x", 1);
        assertThat(fields(TestJson.update(revisions, changed, rev))).containsExactly("data");
    }
}
