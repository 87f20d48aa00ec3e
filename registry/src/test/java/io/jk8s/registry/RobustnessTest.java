package io.jk8s.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.jk8s.registry.TestJson.json;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Strategies must never throw on malformed input (the contract: return field errors instead).
 * Each kind gets a kitchen-sink object whose nodes are replaced, with a fixed seed, by values of the wrong type.
 */
class RobustnessTest {

    private static final int ROUNDS = 80;
    private static final ObjectNode SINK = json("{'apiVersion':'v1','kind':'X','metadata':{'name':'web','namespace':'default',"
            + "'uid':'u1','creationTimestamp':'2026-01-01T00:00:00Z','labels':{'app':'web'},'annotations':{'a':'b'},"
            + "'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'rs','controller':true}]},"
            + "'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'k','operator':'In','values':['v']}]},"
            + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'c','image':'x:1','ports':[{'containerPort':80}],"
            + "'resources':{'limits':{'cpu':'1'},'requests':{'cpu':'500m'}},'livenessProbe':{'httpGet':{'port':80}},"
            + "'volumeMounts':[{'name':'v','mountPath':'/v'}],'env':[{'name':'E','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}]}],"
            + "'volumes':[{'name':'v','configMap':{'name':'cm'}}],'tolerations':[{'key':'k','operator':'Exists'}]}},"
            + "'containers':[{'name':'c','image':'x:1'}],'initContainers':[{'name':'i','image':'x:1'}],'nodeName':'n1',"
            + "'ports':[{'port':80,'targetPort':8080,'nodePort':30080,'name':'http'}],'type':'NodePort','clusterIP':'10.96.0.1',"
            + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1,'maxUnavailable':1}},'updateStrategy':{'type':'RollingUpdate'},"
            + "'schedule':'* * * * *','jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'x'}]}}}},"
            + "'taints':[{'key':'k','effect':'NoSchedule'}],'finalizers':['kubernetes'],'holderIdentity':'h','leaseDurationSeconds':10,"
            + "'scaleTargetRef':{'kind':'Deployment','name':'web'},'maxReplicas':3,'metrics':[{'type':'Resource','resource':{'name':'cpu',"
            + "'target':{'averageUtilization':50}}}],'rules':[{'host':'a.b','http':{'paths':[{'path':'/','pathType':'Prefix',"
            + "'backend':{'service':{'name':'s','port':{'number':80}}}}]}}],'podSelector':{},'capacity':{'storage':'1Gi'},"
            + "'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}},'hard':{'pods':'10'},'request':'eA==',"
            + "'signerName':'a/b','usages':['digital signature'],'minAvailable':1},"
            + "'status':{'phase':'Running','replicas':1,'conditions':[{'type':'Ready','status':'True'}],'podIPs':[{'ip':'10.0.0.1'}],"
            + "'containerStatuses':[{'name':'c','ready':true,'restartCount':1,'state':{'running':{}},'lastState':{'terminated':"
            + "{'finishedAt':'2026-01-01T00:00:00Z'}}}],'initContainerStatuses':[{'name':'i','state':{'waiting':{'reason':'X'}}}],"
            + "'loadBalancer':{'ingress':[{'ip':'1.2.3.4'}]},'addresses':[{'type':'InternalIP','address':'10.0.0.2'}],"
            + "'nodeInfo':{'kubeletVersion':'v1'},'active':[{'name':'j'}],'currentMetrics':[],'startTime':'2026-01-01T00:00:00Z'},"
            + "'data':{'k':'dg=='},'binaryData':{'b':'AA=='},'stringData':{'s':'t'},'type':'Opaque','immutable':false,"
            + "'subsets':[{'addresses':[{'ip':'10.0.0.1'}],'ports':[{'port':80}]}],'endpoints':[{'addresses':['10.0.0.1']}],"
            + "'addressType':'IPv4','involvedObject':{'kind':'Pod','name':'p'},'regarding':{'kind':'Pod'},'reason':'R','count':2,"
            + "'roleRef':{'kind':'ClusterRole','name':'view'},'subjects':[{'kind':'User','name':'u'}],'value':5,'revision':1,"
            + "'provisioner':'a/b','secrets':[{'name':'s'}],'target':{'name':'n1'}}");
    private static final List<JsonNode> WRONG = List.of(json("{'v':'x'}").get("v"), json("{'v':7}").get("v"),
            json("{'v':-1}").get("v"), json("{'v':true}").get("v"), json("{'v':null}").get("v"), json("{'v':[]}").get("v"),
            json("{'v':{}}").get("v"), json("{'v':['a',1]}").get("v"), json("{'v':{'a':['b']}}").get("v"),
            json("{'v':'99999999999999999999'}").get("v"), json("{'v':'99999999999999999999%'}").get("v"),
            json("{'v':'*/99999999999999999999'}").get("v"), json("{'v':'1e99999999999'}").get("v"), json("{'v':1.5}").get("v"));

    static Stream<KindStrategy> strategies() {
        return BuiltinRegistry.create().all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void neverThrowsOnWrongTypes(KindStrategy s) {
        Random random = new Random(s.type().plural().hashCode());
        for (int round = 0; round < ROUNDS; round++) {
            ObjectNode obj = SINK.deepCopy();
            for (int i = 0; i < 3; i++) {
                mutate(obj, random);
            }
            ObjectNode old = SINK.deepCopy();
            int r = round;
            assertThatCode(() -> exercise(s, obj, old)).as("round %d: %s", r, obj).doesNotThrowAnyException();
        }
    }

    /** A scalar that overflows every number parser, for the exhaustive single-node pass (kept to one: it runs nodes x values x kinds). */
    private static final List<JsonNode> WRONG_TYPES = List.of(json("{'v':'99999999999999999999%'}").get("v"));

    /** Every node of the sample, replaced by a value of each JSON type, one at a time. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void neverThrowsWhenAnySingleNodeHasAnyWrongType(KindStrategy s) {
        int nodes = countEdits(SINK);
        for (int node = 0; node < nodes; node++) {
            for (JsonNode wrong : WRONG_TYPES) {
                ObjectNode obj = SINK.deepCopy();
                List<Runnable> edits = new ArrayList<>();
                collect(obj, wrong, edits);
                edits.get(node).run();
                assertThatCode(() -> exercise(s, obj, SINK.deepCopy())).as("%s", obj).doesNotThrowAnyException();
            }
        }
    }

    private static int countEdits(ObjectNode root) {
        List<Runnable> edits = new ArrayList<>();
        collect(root.deepCopy(), WRONG.get(0), edits);
        return edits.size();
    }

    private static void exercise(KindStrategy s, ObjectNode obj, ObjectNode old) {
        Instant now = Instant.parse("2026-01-01T01:00:00Z");
        ObjectNode created = obj.deepCopy();
        s.prepareForCreate(created);
        s.applyDefaults(created);
        s.validateCreate(created);
        s.row(created, now);
        s.selectableFields(created);
        ObjectNode updated = obj.deepCopy();
        s.prepareForUpdate(updated, old);
        s.applyDefaults(updated);
        s.validateUpdate(updated, old);
        s.validateUpdate(old.deepCopy(), updated);
        ObjectNode status = obj.deepCopy();
        s.prepareForStatusUpdate(status, old);
        s.validateUpdate(status, old);
        s.row(obj, now);
        s.selectableFields(obj);
    }

    /** Replaces one random node (not the root) with a value of a random, usually wrong, type. */
    private static void mutate(ObjectNode root, Random random) {
        List<Runnable> edits = new ArrayList<>();
        collect(root, random, edits);
        if (!edits.isEmpty()) {
            edits.get(random.nextInt(edits.size())).run();
        }
    }

    private static void collect(JsonNode node, Random random, List<Runnable> edits) {
        collect(node, () -> WRONG.get(random.nextInt(WRONG.size())), edits);
    }

    private static void collect(JsonNode node, JsonNode replacement, List<Runnable> edits) {
        collect(node, () -> replacement, edits);
    }

    /** One edit per node, in document order; each edit replaces that node with a copy of {@code value}. */
    private static void collect(JsonNode node, java.util.function.Supplier<JsonNode> value, List<Runnable> edits) {
        if (node instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                edits.add(() -> o.set(k, value.get().deepCopy()));
                collect(o.get(k), value, edits);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                int idx = i;
                edits.add(() -> a.set(idx, value.get().deepCopy()));
                collect(a.get(i), value, edits);
            }
        }
    }
}
