package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.service;
import static io.jk8s.proxy.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

/** Partial writes: only the chains of changed service ports are declared (and so flushed) and filled. */
class RuleBuilderPartialTest {

    private final RuleBuilder builder = new RuleBuilder("node-a", List.of(), "10.244.0.0/16");
    private final List<Service> services = List.of(service("web", "10.96.0.50").build(), service("api", "10.96.0.60").build());
    private final List<EndpointSlice> slices = List.of(
            slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true))),
            slice("api-1", "api", 8080, List.of(endpoint("10.244.1.3", "node-a", true))));
    private final List<ServicePortInfo> ports = ServicePorts.resolve(services, slices);

    private static final String WEB_SVC = ChainNames.service("default/web:http", "TCP");
    private static final String WEB_SEP = ChainNames.endpoint("default/web:http", "TCP", "10.244.1.2:8080");
    private static final String API_SVC = ChainNames.service("default/api:http", "TCP");
    private static final String API_SEP = ChainNames.endpoint("default/api:http", "TCP", "10.244.1.3:8080");

    @Test
    void unchangedPortKeepsItsChainsUntouchedButStillGetsItsServiceJump() {
        Set<String> existing = builder.plan(ports, Set.of(), sp -> true, java.util.Map.of()).natChains();

        RuleBuilder.Plan plan = builder.plan(ports, existing, sp -> sp.name().equals("web"), java.util.Map.of());

        List<String> lines = Arrays.asList(plan.input().split("\n"));
        assertThat(lines).contains(":" + WEB_SVC + " - [0:0]", ":" + WEB_SEP + " - [0:0]", ":KUBE-SERVICES - [0:0]");
        assertThat(plan.input()).as("api's chains are neither flushed, filled nor deleted")
                .doesNotContain(":" + API_SVC, ":" + API_SEP, "-A " + API_SVC, "-A " + API_SEP, "-X " + API_SVC);
        assertThat(lines).as("KUBE-SERVICES is rewritten whole, so it must still jump to api")
                .anyMatch(l -> l.startsWith("-A KUBE-SERVICES") && l.endsWith("-j " + API_SVC));
        assertThat(plan.natChains()).contains(WEB_SVC, WEB_SEP, API_SVC, API_SEP);
    }

    @Test
    void missingServiceChainIsWrittenEvenWhenThePortLooksUnchanged() {
        Set<String> existing = new TreeSet<>(builder.plan(ports, Set.of(), sp -> true, java.util.Map.of()).natChains());
        existing.remove(API_SVC);

        RuleBuilder.Plan plan = builder.plan(ports, existing, sp -> false, java.util.Map.of());

        assertThat(plan.input()).contains(":" + API_SVC + " - [0:0]", "-A " + API_SVC + " ").doesNotContain(":" + WEB_SVC);
    }

    @Test
    void chainsOfARemovedEndpointAreDeletedInAPartialWrite() {
        Set<String> existing = builder.plan(ports, Set.of(), sp -> true, java.util.Map.of()).natChains();
        List<ServicePortInfo> webMoved = ServicePorts.resolve(services, List.of(
                slice("web-1", "web", 8080, List.of(endpoint("10.244.9.9", "node-a", true))), slices.get(1)));

        RuleBuilder.Plan plan = builder.plan(webMoved, existing, sp -> sp.name().equals("web"), java.util.Map.of());

        assertThat(plan.input()).contains("-X " + WEB_SEP).doesNotContain("-X " + API_SEP, "-X " + API_SVC);
        assertThat(plan.natChains()).doesNotContain(WEB_SEP).contains(API_SEP);
    }

    @Test
    void pureEndpointChangeLeavesUnchangedBaseChainsOut() {
        RuleBuilder.Plan first = builder.plan(ports, Set.of(), sp -> true, java.util.Map.of());
        List<ServicePortInfo> webMoved = ServicePorts.resolve(services, List.of(
                slice("web-1", "web", 8080, List.of(endpoint("10.244.9.9", "node-a", true))), slices.get(1)));

        RuleBuilder.Plan second = builder.plan(webMoved, first.natChains(), sp -> sp.name().equals("web"), first.baseChains());

        assertThat(second.input()).doesNotContain(":KUBE-SERVICES", "-A KUBE-SERVICES", ":KUBE-POSTROUTING", ":KUBE-FORWARD")
                .contains("--to-destination 10.244.9.9:8080");
        assertThat(second.baseChains()).isEqualTo(first.baseChains());

        List<ServicePortInfo> webGone = ServicePorts.resolve(List.of(services.get(1)), List.of(slices.get(1)));
        RuleBuilder.Plan third = builder.plan(webGone, second.natChains(), sp -> false, second.baseChains());
        assertThat(third.input()).as("a removed Service changes KUBE-SERVICES, which is then rewritten whole")
                .contains(":KUBE-SERVICES - [0:0]", "-j " + API_SVC, "-X " + WEB_SVC).doesNotContain(":KUBE-POSTROUTING");
    }
}
