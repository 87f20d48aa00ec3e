package io.jk8s.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.protobuf.gen.AppsV1;
import io.jk8s.api.protobuf.gen.CoreV1;
import io.jk8s.api.protobuf.gen.IntStr;
import io.jk8s.api.protobuf.gen.MetaV1;
import io.jk8s.api.protobuf.gen.PolicyV1;
import io.jk8s.api.protobuf.gen.Resource;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProtobufCodecTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text.replace('\'', '"'));
    }

    /** What Go writes for an object with only a name: always-present empty strings and a zero Time. */
    private static MetaV1.ObjectMeta.Builder meta(String name) {
        return MetaV1.ObjectMeta.newBuilder().setName(name).setNamespace("default").setGenerateName("")
                .setUid("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(MetaV1.Time.getDefaultInstance());
    }

    /** Decodes and re-reads, so that int64 fields compare equal to small JSON numbers. */
    private static ObjectNode decode(byte[] body) throws Exception {
        ObjectNode decoded = ProtobufCodec.decode(body);
        return (ObjectNode) MAPPER.readTree(decoded.toString());
    }

    @Test
    void configMapWithStringAndBinaryData() throws Exception {
        CoreV1.ConfigMap cm = CoreV1.ConfigMap.newBuilder().setMetadata(meta("c").putLabels("app", "x"))
                .putData("a", "b").putData("empty", "").putBinaryData("bin", ProtoBodies.bytes("hi")).build();
        ObjectNode out = decode(ProtoBodies.body("v1", "ConfigMap", cm));
        assertThat(out).isEqualTo(json("""
                {'apiVersion':'v1','kind':'ConfigMap',
                 'metadata':{'name':'c','namespace':'default','generation':0,'labels':{'app':'x'}},
                 'data':{'a':'b','empty':''},'binaryData':{'bin':'aGk='}}"""));
        assertThat(out.fieldNames().next()).isEqualTo("apiVersion");
    }

    @Test
    void secretBytesBecomeBase64() throws Exception {
        CoreV1.Secret secret = CoreV1.Secret.newBuilder().setMetadata(meta("s")).setType("Opaque")
                .putData("k", ProtoBodies.bytes("v")).putStringData("plain", "text").build();
        ObjectNode out = decode(ProtoBodies.body("v1", "Secret", secret));
        assertThat(out.get("data")).isEqualTo(json("{'k':'dg=='}"));
        assertThat(out.get("stringData")).isEqualTo(json("{'plain':'text'}"));
        assertThat(out.get("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void deploymentWithAFullPodTemplate() throws Exception {
        CoreV1.Container container = CoreV1.Container.newBuilder().setName("web").setImage("nginx:1.27")
                .addCommand("nginx").addArgs("-g").addArgs("daemon off;")
                .addPorts(CoreV1.ContainerPort.newBuilder().setName("http").setContainerPort(80).setProtocol("TCP"))
                .addEnv(CoreV1.EnvVar.newBuilder().setName("MODE").setValue("prod"))
                .addEnv(CoreV1.EnvVar.newBuilder().setName("POD").setValueFrom(CoreV1.EnvVarSource.newBuilder()
                        .setFieldRef(CoreV1.ObjectFieldSelector.newBuilder().setFieldPath("metadata.name"))))
                .setResources(CoreV1.ResourceRequirements.newBuilder()
                        .putLimits("memory", Resource.Quantity.newBuilder().setString("128Mi").build())
                        .putRequests("cpu", Resource.Quantity.newBuilder().setString("100m").build()))
                .setReadinessProbe(CoreV1.Probe.newBuilder().setHandler(CoreV1.ProbeHandler.newBuilder()
                                .setHttpGet(CoreV1.HTTPGetAction.newBuilder().setPath("/healthz")
                                        .setPort(IntStr.IntOrString.newBuilder().setType(1).setStrVal("http"))))
                        .setPeriodSeconds(5))
                .setSecurityContext(CoreV1.SecurityContext.newBuilder().setRunAsUser(0).setPrivileged(false))
                .build();
        CoreV1.PodSpec pod = CoreV1.PodSpec.newBuilder().addContainers(container)
                .setRestartPolicy("Always").setTerminationGracePeriodSeconds(30)
                .addTolerations(CoreV1.Toleration.newBuilder().setKey("k").setOperator("Exists"))
                .addVolumes(CoreV1.Volume.newBuilder().setName("cfg").setVolumeSource(CoreV1.VolumeSource.newBuilder()
                        .setConfigMap(CoreV1.ConfigMapVolumeSource.newBuilder()
                                .setLocalObjectReference(CoreV1.LocalObjectReference.newBuilder().setName("c")))))
                .build();
        AppsV1.Deployment deployment = AppsV1.Deployment.newBuilder()
                .setMetadata(meta("web").setCreationTimestamp(MetaV1.Time.newBuilder().setSeconds(1704164645)))
                .setSpec(AppsV1.DeploymentSpec.newBuilder().setReplicas(0)
                        .setSelector(MetaV1.LabelSelector.newBuilder().putMatchLabels("app", "web"))
                        .setStrategy(AppsV1.DeploymentStrategy.newBuilder().setType("RollingUpdate")
                                .setRollingUpdate(AppsV1.RollingUpdateDeployment.newBuilder()
                                        .setMaxUnavailable(IntStr.IntOrString.newBuilder().setType(1).setStrVal("25%"))
                                        .setMaxSurge(IntStr.IntOrString.newBuilder().setType(0).setIntVal(1))))
                        .setTemplate(CoreV1.PodTemplateSpec.newBuilder()
                                .setMetadata(MetaV1.ObjectMeta.newBuilder().putLabels("app", "web")
                                        .setCreationTimestamp(MetaV1.Time.getDefaultInstance()))
                                .setSpec(pod)))
                .build();

        ObjectNode out = decode(ProtoBodies.body("apps/v1", "Deployment", deployment));

        assertThat(out.at("/metadata/creationTimestamp").asText()).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(out.at("/spec/replicas").isInt()).as("explicit zero replicas survive").isTrue();
        assertThat(out.at("/spec/strategy/rollingUpdate")).isEqualTo(json("{'maxUnavailable':'25%','maxSurge':1}"));
        assertThat(out.at("/spec/template/metadata")).isEqualTo(json("{'labels':{'app':'web'}}"));
        JsonNode c = out.at("/spec/template/spec/containers/0");
        assertThat(c).isEqualTo(json("""
                {'name':'web','image':'nginx:1.27','command':['nginx'],'args':['-g','daemon off;'],
                 'ports':[{'name':'http','containerPort':80,'protocol':'TCP'}],
                 'env':[{'name':'MODE','value':'prod'},{'name':'POD','valueFrom':{'fieldRef':{'fieldPath':'metadata.name'}}}],
                 'resources':{'limits':{'memory':'128Mi'},'requests':{'cpu':'100m'}},
                 'readinessProbe':{'httpGet':{'path':'/healthz','port':'http'},'periodSeconds':5},
                 'securityContext':{'runAsUser':0,'privileged':false}}"""));
        assertThat(out.at("/spec/template/spec/volumes/0")).isEqualTo(json("{'name':'cfg','configMap':{'name':'c'}}"));
        assertThat(out.at("/spec/template/spec/tolerations/0")).isEqualTo(json("{'key':'k','operator':'Exists'}"));
        assertThat(out.at("/spec/template/spec/terminationGracePeriodSeconds").asLong()).isEqualTo(30);
    }

    @Test
    void serviceTargetPortsAsNumberAndName() throws Exception {
        CoreV1.Service service = CoreV1.Service.newBuilder().setMetadata(meta("s"))
                .setSpec(CoreV1.ServiceSpec.newBuilder().setType("ClusterIP").putSelector("app", "web")
                        .addPorts(CoreV1.ServicePort.newBuilder().setName("a").setPort(80).setProtocol("TCP")
                                .setTargetPort(IntStr.IntOrString.newBuilder().setType(0).setIntVal(8080)))
                        .addPorts(CoreV1.ServicePort.newBuilder().setName("b").setPort(443).setProtocol("TCP")
                                .setTargetPort(IntStr.IntOrString.newBuilder().setType(1).setStrVal("https"))))
                .build();
        ObjectNode out = decode(ProtoBodies.body("v1", "Service", service));
        assertThat(out.at("/spec/ports/0/targetPort").intValue()).isEqualTo(8080);
        assertThat(out.at("/spec/ports/0/targetPort").isInt()).isTrue();
        assertThat(out.at("/spec/ports/1/targetPort").textValue()).isEqualTo("https");
        assertThat(out.at("/spec/selector")).isEqualTo(json("{'app':'web'}"));
    }

    @Test
    void evictionWithDeleteOptions() throws Exception {
        PolicyV1.Eviction eviction = PolicyV1.Eviction.newBuilder().setMetadata(meta("p"))
                .setDeleteOptions(MetaV1.DeleteOptions.newBuilder().setGracePeriodSeconds(0)
                        .setPreconditions(MetaV1.Preconditions.newBuilder().setUid("u-1")))
                .build();
        ObjectNode out = decode(ProtoBodies.body("policy/v1", "Eviction", eviction));
        assertThat(out.get("kind").asText()).isEqualTo("Eviction");
        assertThat(out.get("deleteOptions")).isEqualTo(json("{'gracePeriodSeconds':0,'preconditions':{'uid':'u-1'}}"));
    }

    @Test
    void deleteOptionsUnderAnyGroupVersion() throws Exception {
        MetaV1.DeleteOptions options = MetaV1.DeleteOptions.newBuilder().setPropagationPolicy("Foreground").build();
        ObjectNode out = decode(ProtoBodies.body("apps/v1", "DeleteOptions", options));
        assertThat(out).isEqualTo(json("{'apiVersion':'apps/v1','kind':'DeleteOptions','propagationPolicy':'Foreground'}"));
    }

    @Test
    void managedFieldsAndMicroTimeAndOwnerReferences() throws Exception {
        MetaV1.ObjectMeta meta = meta("m")
                .addOwnerReferences(MetaV1.OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("ReplicaSet")
                        .setName("rs").setUid("u").setController(true))
                .addManagedFields(MetaV1.ManagedFieldsEntry.newBuilder().setManager("kubectl").setOperation("Update")
                        .setFieldsType("FieldsV1")
                        .setFieldsV1(MetaV1.FieldsV1.newBuilder().setRaw(ProtoBodies.bytes("{\"f:data\":{}}")))
                        .setTime(MetaV1.Time.newBuilder().setSeconds(1704164645)))
                .build();
        io.jk8s.api.protobuf.gen.CoordinationV1.Lease lease = io.jk8s.api.protobuf.gen.CoordinationV1.Lease.newBuilder()
                .setMetadata(meta)
                .setSpec(io.jk8s.api.protobuf.gen.CoordinationV1.LeaseSpec.newBuilder().setHolderIdentity("n1")
                        .setRenewTime(MetaV1.MicroTime.newBuilder().setSeconds(1704164645).setNanos(123456789)))
                .build();
        ObjectNode out = decode(ProtoBodies.body("coordination.k8s.io/v1", "Lease", lease));
        assertThat(out.at("/spec/renewTime").asText()).isEqualTo("2024-01-02T03:04:05.123456Z");
        assertThat(out.at("/metadata/managedFields/0")).isEqualTo(json("""
                {'manager':'kubectl','operation':'Update','fieldsType':'FieldsV1','fieldsV1':{'f:data':{}},
                 'time':'2024-01-02T03:04:05Z'}"""));
        assertThat(out.at("/metadata/ownerReferences/0/controller").booleanValue()).isTrue();
    }

    @Test
    void rejectsBadMagicTruncationAndUnknownKinds() {
        CoreV1.ConfigMap cm = CoreV1.ConfigMap.newBuilder().setMetadata(meta("c")).putData("a", "b").build();
        byte[] good = ProtoBodies.body("v1", "ConfigMap", cm);

        assertThatThrownBy(() -> ProtobufCodec.decode("{\"kind\":\"ConfigMap\"}".getBytes()))
                .isInstanceOf(ApiException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> ProtobufCodec.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(ApiException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> ProtobufCodec.decode(ProtoBodies.body("example.com/v1", "Widget", cm)))
                .isInstanceOf(ApiException.class).hasMessageContaining("Widget");
        assertThatThrownBy(() -> ProtobufCodec.decode(ProtoBodies.body("v1", "Deployment", cm)))
                .isInstanceOf(ApiException.class).hasMessageContaining("Deployment");
        assertThat(((ApiException) catchApi(good.length - 3, good)).code()).isEqualTo(400);
    }

    private static Throwable catchApi(int length, byte[] good) {
        try {
            ProtobufCodec.decode(Arrays.copyOf(good, length));
            throw new AssertionError("expected a failure");
        } catch (ApiException e) {
            return e;
        }
    }

    @Test
    void recognisesTheMediaType() {
        assertThat(ProtobufCodec.isProtobuf("application/vnd.kubernetes.protobuf")).isTrue();
        assertThat(ProtobufCodec.isProtobuf("Application/VND.kubernetes.protobuf; charset=utf-8")).isTrue();
        assertThat(ProtobufCodec.isProtobuf("application/json")).isFalse();
        assertThat(ProtobufCodec.isProtobuf(null)).isFalse();
    }

    @Test
    void goDurations() {
        assertThat(GoDuration.format(0)).isEqualTo("0s");
        assertThat(GoDuration.format(3_723_500_000_000L)).isEqualTo("1h2m3.5s");
        assertThat(GoDuration.format(60_000_000_000L)).isEqualTo("1m0s");
        assertThat(GoDuration.format(1_500_000)).isEqualTo("1.5ms");
        assertThat(GoDuration.format(-2_000_000_000L)).isEqualTo("-2s");
    }
}
