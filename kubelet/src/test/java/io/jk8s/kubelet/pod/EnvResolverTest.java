package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.jk8s.kubelet.volume.DownwardApi;
import io.jk8s.kubelet.volume.PodObjects;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class EnvResolverTest {

    private final Map<String, ConfigMap> configMaps = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final EnvResolver resolver = new EnvResolver(new PodObjects() {
        public Optional<ConfigMap> configMap(String ns, String name) {
            return Optional.ofNullable(configMaps.get(ns + "/" + name));
        }

        public Optional<Secret> secret(String ns, String name) {
            return Optional.ofNullable(secrets.get(ns + "/" + name));
        }

        public Optional<PersistentVolumeClaim> claim(String ns, String name) {
            return Optional.empty();
        }

        public Optional<PersistentVolume> persistentVolume(String name) {
            return Optional.empty();
        }
    }, new DownwardApi.NodeAllocatable(4, 8L << 30, 100L << 30));
    private final DownwardApi.PodRuntimeFacts facts = new DownwardApi.PodRuntimeFacts("node-1", "10.244.0.7", "192.168.1.5");

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1")
                .addToLabels("app", "web").addToAnnotations("a.b/c", "x").endMetadata()
                .withNewSpec().withServiceAccountName("sa").addToContainers(c).endSpec().build();
    }

    private EnvResolver.Resolved resolve(Container c) throws ContainerConfigException {
        return resolver.resolve(pod(c), c, facts);
    }

    @Test
    void envFromThenEnvWithPrefixInvalidKeysSkippedAndReported() throws Exception {
        configMaps.put("ns/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("HOST", "db").addToData("1bad", "x").addToData("PORT", "5432").build());
        secrets.put("ns/sec", new SecretBuilder().withNewMetadata().withName("sec").endMetadata()
                .addToData("PASSWORD", Base64.getEncoder().encodeToString("pw".getBytes(StandardCharsets.UTF_8))).build());
        Container c = new ContainerBuilder().withName("c")
                .addNewEnvFrom().withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withPrefix("S_").withNewSecretRef().withName("sec").endSecretRef().endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef().withName("absent").withOptional(true).endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("PORT").withValue("6543").endEnv()
                .build();
        EnvResolver.Resolved r = resolve(c);
        assertThat(r.env()).containsExactly(entry("HOST", "db"), entry("PORT", "6543"), entry("S_PASSWORD", "pw"));
        assertThat(r.invalidKeyWarnings()).containsExactly("Keys [1bad] from the EnvFrom configMap ns/cfg were skipped"
                + " since they are considered invalid environment variable names.");
    }

    @Test
    void keyRefsFailNamingTheObjectUnlessOptional() throws Exception {
        Container missing = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
                .withNewConfigMapKeyRef().withName("nope").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolve(missing)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("configmap \"nope\" not found");

        secrets.put("ns/s", new SecretBuilder().withNewMetadata().withName("s").endMetadata().addToData("a", "YQ==").build());
        Container missingKey = new ContainerBuilder().withName("c").addNewEnv().withName("X").withNewValueFrom()
                .withNewSecretKeyRef().withName("s").withKey("b").endSecretKeyRef().endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolve(missingKey)).hasMessage("couldn't find key b in Secret ns/s");

        Container optional = new ContainerBuilder().withName("c")
                .addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef().withName("s").withKey("b")
                .withOptional(true).endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("Y").withNewValueFrom().withNewSecretKeyRef().withName("s").withKey("a")
                .endSecretKeyRef().endValueFrom().endEnv().build();
        assertThat(resolve(optional).env()).containsExactly(entry("Y", "a"));
    }

    @Test
    void fieldRefsCoverUpstreamFields() throws Exception {
        String[][] cases = {{"metadata.name", "p"}, {"metadata.namespace", "ns"}, {"metadata.uid", "uid-1"},
                {"metadata.labels['app']", "web"}, {"metadata.annotations['a.b/c']", "x"}, {"spec.nodeName", "node-1"},
                {"spec.serviceAccountName", "sa"}, {"status.podIP", "10.244.0.7"}, {"status.podIPs", "10.244.0.7"},
                {"status.hostIP", "192.168.1.5"}, {"status.hostIPs", "192.168.1.5"}};
        ContainerBuilder c = new ContainerBuilder().withName("c");
        for (String[] kv : cases) {
            c.addNewEnv().withName("V" + c.buildEnv().size()).withNewValueFrom().withNewFieldRef().withFieldPath(kv[0])
                    .endFieldRef().endValueFrom().endEnv();
        }
        Map<String, String> env = resolve(c.build()).env();
        for (int i = 0; i < cases.length; i++) {
            assertThat(env).as(cases[i][0]).containsEntry("V" + i, cases[i][1]);
        }
    }

    @Test
    void resourceFieldRefsUseDivisorRoundUpAndNodeAllocatableForMissingLimits() throws Exception {
        Container c = new ContainerBuilder().withName("c")
                .withNewResources().addToLimits("cpu", new Quantity("1500m")).addToLimits("memory", new Quantity("100Mi"))
                .addToRequests("cpu", new Quantity("250m")).endResources()
                .addNewEnv().withName("CPU").withNewValueFrom().withNewResourceFieldRef().withResource("limits.cpu")
                .endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MCPU").withNewValueFrom().withNewResourceFieldRef().withResource("requests.cpu")
                .withDivisor(new Quantity("1m")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("REQMEM").withNewValueFrom().withNewResourceFieldRef().withResource("requests.memory")
                .endResourceFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("EPH").withNewValueFrom().withNewResourceFieldRef().withResource("limits.ephemeral-storage")
                .withDivisor(new Quantity("1Gi")).endResourceFieldRef().endValueFrom().endEnv()
                .build();
        assertThat(resolve(c).env()).containsExactly(entry("CPU", "2"), entry("MCPU", "250"), entry("MEM", "100"),
                entry("REQMEM", "0"), entry("EPH", "100"));
    }

    @Test
    void dollarExpansionInEnvCommandAndArgs() throws Exception {
        Container c = new ContainerBuilder().withName("c")
                .addNewEnv().withName("A").withValue("a").endEnv()
                .addNewEnv().withName("B").withValue("$(A)-b-$(LATER)").endEnv()
                .addNewEnv().withName("LATER").withValue("l").endEnv()
                .withCommand("echo", "$(B)", "$$(A)", "$(UNDEFINED)", "$(A", "cost $5")
                .withArgs("$(LATER)$(A)")
                .build();
        EnvResolver.Resolved r = resolve(c);
        assertThat(r.env()).containsEntry("B", "a-b-$(LATER)");
        assertThat(r.command()).containsExactly("echo", "a-b-$(LATER)", "$(A)", "$(UNDEFINED)", "$(A", "cost $5");
        assertThat(r.args()).isEqualTo(List.of("la"));
    }
}
