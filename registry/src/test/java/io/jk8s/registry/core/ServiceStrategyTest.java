package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import io.jk8s.registry.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceStrategyTest {

    private final KindStrategy services = TestJson.strategy("", "services");

    static ObjectNode service(String spec) {
        return json("{'metadata':{'name':'web','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'},'spec':" + spec + "}");
    }

    @Test
    void defaultsTypeAffinityProtocolTargetPortAndPolicies() {
        ObjectNode svc = service("{'selector':{'app':'web'},'ports':[{'port':80}]}");
        assertThat(TestJson.create(services, svc)).isEmpty();
        assertThat(svc.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(svc.at("/spec/sessionAffinity").asText()).isEqualTo("None");
        assertThat(svc.at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
        assertThat(svc.at("/spec/internalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(svc.at("/spec/ipFamilyPolicy").asText()).isEqualTo("SingleStack");
        assertThat(svc.at("/spec/ipFamilies/0").asText()).isEqualTo("IPv4");
        assertThat(svc.at("/spec/externalTrafficPolicy").isMissingNode()).isTrue();
        assertThat(svc.at("/status/loadBalancer").isObject()).isTrue();

        ObjectNode lb = service("{'type':'LoadBalancer','ports':[{'port':443,'targetPort':'https'}]}");
        assertThat(TestJson.create(services, lb)).isEmpty();
        assertThat(lb.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");
        assertThat(lb.at("/spec/allocateLoadBalancerNodePorts").asBoolean()).isTrue();
        assertThat(lb.at("/spec/ports/0/targetPort").asText()).isEqualTo("https");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no ports | {'selector':{'app':'x'}} | spec.ports: Required value",
            "port zero | {'ports':[{'port':0}]} | spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "unnamed ports | {'ports':[{'port':80},{'port':81}]} | spec.ports[0].name: Required value",
            "bad type | {'type':'Magic','ports':[{'port':80}]} | spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            "external name missing | {'type':'ExternalName'} | spec.externalName: Required value",
            "bad cluster ip | {'clusterIP':'10.0.0.300','ports':[{'port':80}]} | spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address",
            "affinity | {'sessionAffinity':'Sticky','ports':[{'port':80}]} | spec.sessionAffinity: Unsupported value: \"Sticky\"",
            "node port on cluster ip | {'ports':[{'port':80,'nodePort':30080}]} | spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"})
    void rejectsInvalidServices(String name, String spec, String expected) {
        assertThat(messages(TestJson.create(services, service(spec)))).anySatisfy(m -> assertThat(m).startsWith(expected));
    }

    @Test
    void serviceNamesAreDns1035Labels() {
        ObjectNode svc = service("{'ports':[{'port':80}]}");
        Json.obj(svc, "metadata").put("name", "1web");
        assertThat(messages(TestJson.create(services, svc))).singleElement().asString().startsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label");
    }

    @Test
    void headlessAndExternalNameNeedNoPorts() {
        assertThat(TestJson.create(services, service("{'clusterIP':'None','selector':{'app':'x'}}"))).isEmpty();
        assertThat(TestJson.create(services, service("{'type':'ExternalName','externalName':'db.example.com'}"))).isEmpty();
    }

    @Test
    void clusterIpIsKeptWhenOmittedAndMayNotChange() {
        ObjectNode old = service("{'clusterIP':'10.96.0.10','ports':[{'port':80}],'type':'NodePort'}");
        TestJson.create(services, old);
        ((ObjectNode) old.at("/spec/ports/0")).put("nodePort", 30080);
        ObjectNode replace = service("{'ports':[{'port':80}],'type':'NodePort'}");
        assertThat(TestJson.update(services, replace, old)).isEmpty();
        assertThat(replace.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");
        assertThat(replace.at("/spec/clusterIPs/0").asText()).isEqualTo("10.96.0.10");
        assertThat(replace.at("/spec/ports/0/nodePort").asInt()).isEqualTo(30080);

        ObjectNode moved = old.deepCopy();
        Json.obj(moved, "spec").put("clusterIP", "10.96.0.11").putArray("clusterIPs").add("10.96.0.11");
        assertThat(messages(TestJson.update(services, moved, old)))
                .containsExactly("spec.clusterIPs[0]: Invalid value: \"10.96.0.11\": may not change once set");
    }

    @Test
    void changingTypeDropsAllocationsTheNewTypeDoesNotUse() {
        ObjectNode old = service("{'type':'NodePort','clusterIP':'10.96.0.10','ports':[{'port':80,'nodePort':30080}]}");
        TestJson.create(services, old);
        ObjectNode applied = old.deepCopy();
        Json.obj(applied, "spec").put("type", "ClusterIP");
        assertThat(TestJson.update(services, applied, old)).isEmpty();
        assertThat(applied.at("/spec/ports/0/nodePort").isMissingNode()).isTrue();
        assertThat(applied.at("/spec/externalTrafficPolicy").isMissingNode()).isTrue();
        assertThat(applied.at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");

        ObjectNode external = old.deepCopy();
        Json.obj(external, "spec").put("type", "ExternalName").put("externalName", "db.example.com");
        assertThat(TestJson.update(services, external, old)).isEmpty();
        assertThat(external.at("/spec/clusterIP").isMissingNode()).isTrue();
        assertThat(external.at("/spec/ipFamilies").isMissingNode()).isTrue();
    }

    @Test
    void rowsAsKubectlGetServices() {
        Instant now = Instant.parse("2026-01-01T00:10:00Z");
        ObjectNode svc = service("{'type':'NodePort','clusterIP':'10.96.0.10','clusterIPs':['10.96.0.10'],'selector':{'app':'web'},"
                + "'ports':[{'port':80,'protocol':'TCP','nodePort':30080},{'port':53,'protocol':'UDP'}]}");
        assertThat(services.row(svc, now)).containsExactly("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "10m", "app=web");
        ObjectNode lb = service("{'type':'LoadBalancer','clusterIPs':['10.96.0.12'],'ports':[{'port':80,'protocol':'TCP'}]}");
        assertThat(services.row(lb, now).get(3)).isEqualTo("<pending>");
        lb.putObject("status").putObject("loadBalancer").putArray("ingress").addObject().put("ip", "192.168.1.10");
        assertThat(services.row(lb, now).get(3)).isEqualTo("192.168.1.10");
        ObjectNode ext = service("{'type':'ExternalName','externalName':'db.example.com'}");
        assertThat(services.row(ext, now)).containsExactly("web", "ExternalName", "<none>", "db.example.com", "<none>", "10m", "<none>");
    }
}
