package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import io.jk8s.registry.support.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jk8s.registry.TestJson.fields;
import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class CoreStrategiesTest {

    private static final Instant NOW = Instant.parse("2026-01-03T00:00:00Z");
    private static final String META = "'metadata':{'name':'x','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'}";

    @Test
    void namespacesStartActiveWithFinalizerAndNameLabel() {
        KindStrategy ns = TestJson.strategy("", "namespaces");
        ObjectNode obj = json("{'metadata':{'name':'team-a','creationTimestamp':'2026-01-01T00:00:00Z'}}");
        assertThat(TestJson.create(ns, obj)).isEmpty();
        assertThat(obj.at("/status/phase").asText()).isEqualTo("Active");
        assertThat(obj.at("/spec/finalizers/0").asText()).isEqualTo("kubernetes");
        assertThat(obj.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
        assertThat(ns.row(obj, NOW)).containsExactly("team-a", "Active", "2d");
        assertThat(ns.selectableFields(obj)).containsEntry("status.phase", "Active");

        ObjectNode update = json("{'metadata':{'name':'team-a'},'spec':{'finalizers':[]}}");
        assertThat(TestJson.update(ns, update, obj)).isEmpty();
        assertThat(update.at("/spec/finalizers/0").asText()).isEqualTo("kubernetes");
        assertThat(update.at("/status/phase").asText()).isEqualTo("Active");

        ObjectNode bad = json("{'metadata':{'name':'Team.A'}}");
        assertThat(fields(TestJson.create(ns, bad))).contains("metadata.name");
        ObjectNode namespaced = json("{'metadata':{'name':'a','namespace':'b'}}");
        assertThat(messages(TestJson.create(ns, namespaced))).containsExactly("metadata.namespace: Forbidden: not allowed on this type");
    }

    @Test
    void configMapKeysAndImmutability() {
        KindStrategy cm = TestJson.strategy("", "configmaps");
        ObjectNode ok = json("{" + META + ",'data':{'a.properties':'x','B_2':'y'},'binaryData':{'bin':'AAE='}}");
        assertThat(TestJson.create(cm, ok)).isEmpty();
        assertThat(cm.row(ok, NOW)).containsExactly("x", 3L, "2d");

        ObjectNode bad = json("{" + META + ",'data':{'bad key':'x','k':'1'},'binaryData':{'k':'AA=='}}");
        assertThat(messages(TestJson.create(cm, bad))).anySatisfy(m -> assertThat(m).startsWith("data[bad key]: Invalid value: \"bad key\": a valid config key"))
                .contains("binaryData[k]: Duplicate value: \"k\"");

        ObjectNode frozen = json("{" + META + ",'immutable':true,'data':{'a':'1'}}");
        ObjectNode changed = json("{" + META + ",'immutable':true,'data':{'a':'2'}}");
        assertThat(messages(TestJson.update(cm, changed, frozen))).containsExactly("data: Forbidden: field is immutable when `immutable` is set");
    }

    @Test
    void secretsDefaultToOpaqueFoldStringDataAndCheckTypes() {
        KindStrategy secrets = TestJson.strategy("", "secrets");
        ObjectNode s = json("{" + META + ",'stringData':{'password':'hunter2'}}");
        assertThat(TestJson.create(secrets, s)).isEmpty();
        assertThat(s.at("/type").asText()).isEqualTo("Opaque");
        assertThat(s.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
        assertThat(s.has("stringData")).isFalse();
        assertThat(secrets.row(s, NOW)).containsExactly("x", "Opaque", 1L, "2d");
        assertThat(secrets.selectableFields(s)).containsEntry("type", "Opaque");

        ObjectNode tls = json("{" + META + ",'type':'kubernetes.io/tls','data':{'tls.crt':'QQ=='}}");
        assertThat(messages(TestJson.create(secrets, tls))).containsExactly("data[tls.key]: Required value");

        ObjectNode retyped = s.deepCopy().put("type", "kubernetes.io/basic-auth");
        assertThat(messages(TestJson.update(secrets, retyped, s))).contains("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");

        ObjectNode notBase64 = json("{" + META + ",'data':{'k':'***'}}");
        assertThat(fields(TestJson.create(secrets, notBase64))).containsExactly("data[k]");
    }

    @Test
    void nodesKeepStatusOnCreateAndPrintLikeKubectl() {
        KindStrategy nodes = TestJson.strategy("", "nodes");
        ObjectNode node = json("{'metadata':{'name':'n1','creationTimestamp':'2026-01-01T00:00:00Z',"
                + "'labels':{'node-role.kubernetes.io/control-plane':'','kubernetes.io/hostname':'n1'}},"
                + "'spec':{'unschedulable':true,'taints':[{'key':'a','effect':'NoSchedule'}]},"
                + "'status':{'capacity':{'cpu':'2'},'conditions':[{'type':'Ready','status':'True'}],"
                + "'addresses':[{'type':'InternalIP','address':'10.0.0.5'},{'type':'Hostname','address':'n1'}],"
                + "'nodeInfo':{'kubeletVersion':'v1.32.0-jk8s','osImage':'Debian GNU/Linux 13 (trixie)','kernelVersion':'6.12.0',"
                + "'containerRuntimeVersion':'containerd://2.1.0'}}}");
        assertThat(TestJson.create(nodes, node)).isEmpty();
        assertThat(node.at("/status/allocatable/cpu").asText()).isEqualTo("2");
        assertThat(nodes.row(node, NOW)).containsExactly("n1", "Ready,SchedulingDisabled", "control-plane", "2d", "v1.32.0-jk8s",
                "10.0.0.5", "<none>", "Debian GNU/Linux 13 (trixie)", "6.12.0", "containerd://2.1.0");
        assertThat(nodes.selectableFields(node)).containsEntry("spec.unschedulable", "true");

        ObjectNode badTaint = json("{'metadata':{'name':'n1'},'spec':{'taints':[{'key':'a','effect':'Never'}]}}");
        assertThat(fields(TestJson.create(nodes, badTaint))).containsExactly("spec.taints[0].effect");
        ObjectNode withCidr = json("{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.244.0.0/24','podCIDRs':['10.244.0.0/24']}}");
        ObjectNode moved = json("{'metadata':{'name':'n1'},'spec':{'podCIDR':'10.244.1.0/24','podCIDRs':['10.244.1.0/24']}}");
        assertThat(fields(TestJson.update(nodes, moved, withCidr))).contains("spec.podCIDRs", "spec.podCIDR");
    }

    @Test
    void eventsPrintLastSeenTypeReasonObjectMessage() {
        KindStrategy events = TestJson.strategy("", "events");
        ObjectNode ev = json("{'metadata':{'name':'web.1','namespace':'default'},'involvedObject':{'kind':'Pod','name':'web',"
                + "'namespace':'default','fieldPath':'spec.containers{c}'},'reason':'Pulled','type':'Normal','message':' pulled ',"
                + "'source':{'component':'kubelet','host':'n1'},'firstTimestamp':'2026-01-02T23:50:00Z','lastTimestamp':'2026-01-02T23:58:00Z','count':3}");
        assertThat(TestJson.create(events, ev)).isEmpty();
        assertThat(events.row(ev, NOW)).containsExactly("2m", "Normal", "Pulled", "pod/web", "spec.containers{c}", "kubelet, n1",
                "pulled", "10m", 3L, "web.1");
        assertThat(events.selectableFields(ev)).containsEntry("involvedObject.kind", "Pod").containsEntry("involvedObject.name", "web")
                .containsEntry("reason", "Pulled").containsEntry("type", "Normal").containsEntry("source", "kubelet");

        KindStrategy v1 = TestJson.strategy("events.k8s.io", "events");
        ObjectNode newStyle = json("{'metadata':{'name':'web.2','namespace':'default'},'regarding':{'kind':'Pod','name':'web'},"
                + "'reason':'Started','type':'Normal','note':'started','action':'Start','reportingController':'kubelet',"
                + "'reportingInstance':'n1','eventTime':'2026-01-02T23:59:00.000000Z'}");
        assertThat(TestJson.create(v1, newStyle)).isEmpty();
        assertThat(v1.row(newStyle, NOW)).containsExactly("60s", "Normal", "Started", "pod/web", "", "kubelet, n1", "started", "60s", 1L, "web.2");
    }

    @Test
    void endpointsPrintUpToThreeAddresses() {
        KindStrategy ep = TestJson.strategy("", "endpoints");
        ObjectNode obj = json("{" + META + ",'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'},{'ip':'10.0.0.3'},{'ip':'10.0.0.4'}],"
                + "'ports':[{'port':80}]}]}");
        assertThat(TestJson.create(ep, obj)).isEmpty();
        assertThat(ep.row(obj, NOW)).containsExactly("x", "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...", "2d");
        assertThat(ep.row(json("{" + META + "}"), NOW).get(1)).isEqualTo("<none>");
    }

    @Test
    void quotasPersistentVolumesAndTemplatesPrintLikeKubectl() {
        KindStrategy quotas = TestJson.strategy("", "resourcequotas");
        ObjectNode quota = json("{" + META + ",'spec':{'hard':{'pods':'10','requests.cpu':'4','limits.memory':'8Gi'}},"
                + "'status':{'hard':{'pods':'10','requests.cpu':'4','limits.memory':'8Gi'},'used':{'pods':'3','requests.cpu':'500m'}}}");
        assertThat(quotas.row(quota, NOW)).containsExactly("x", "2d", "pods: 3/10, requests.cpu: 500m/4", "limits.memory: 0/8Gi");
        assertThat(fields(TestJson.create(quotas, json("{" + META + ",'spec':{'hard':{'pods':'ten'}}}")))).containsExactly("spec.hard[pods]");

        KindStrategy pvs = TestJson.strategy("", "persistentvolumes");
        ObjectNode pv = json("{'metadata':{'name':'pv1','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':{'capacity':{'storage':'5Gi'},"
                + "'accessModes':['ReadWriteOnce','ReadOnlyMany'],'hostPath':{'path':'/data'},'storageClassName':'local',"
                + "'claimRef':{'namespace':'default','name':'data'}}}");
        assertThat(TestJson.create(pvs, pv)).isEmpty();
        pv.putObject("status").put("phase", "Bound");
        assertThat(pvs.row(pv, NOW)).containsExactly("pv1", "5Gi", "RWO,ROX", "Retain", "Bound", "default/data", "local",
                "<unset>", "", "2d", "Filesystem");
        ObjectNode noSource = json("{'metadata':{'name':'pv2'},'spec':{'capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce']}}");
        assertThat(messages(TestJson.create(pvs, noSource))).containsExactly("spec: Required value: must specify a volume type");

        KindStrategy templates = TestJson.strategy("", "podtemplates");
        ObjectNode template = json("{" + META + ",'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'c','image':'x:1'}]}}}");
        assertThat(TestJson.create(templates, template)).isEmpty();
        assertThat(templates.row(template, NOW)).containsExactly("x", "c", "x:1", "app=web");
    }

    @Test
    void persistentVolumeClaimsDefaultAndKeepSpec() {
        KindStrategy pvcs = TestJson.strategy("", "persistentvolumeclaims");
        ObjectNode pvc = json("{" + META + ",'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}}}");
        assertThat(TestJson.create(pvcs, pvc)).isEmpty();
        assertThat(pvc.at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(pvc.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(pvcs.row(pvc, NOW)).containsExactly("x", "Pending", "", "", "", "", "<unset>", "2d", "Filesystem");

        ObjectNode grown = pvc.deepCopy();
        ((ObjectNode) grown.at("/spec/resources/requests")).put("storage", "2Gi");
        assertThat(TestJson.update(pvcs, grown, pvc)).isEmpty();
        ObjectNode remoded = pvc.deepCopy();
        Json.obj(remoded, "spec").putArray("accessModes").add("ReadWriteMany");
        assertThat(fields(TestJson.update(pvcs, remoded, pvc))).containsExactly("spec");
        ObjectNode missing = json("{" + META + ",'spec':{}}");
        assertThat(fields(TestJson.create(pvcs, missing))).containsExactly("spec.accessModes", "spec.resources[storage]");
    }
}
