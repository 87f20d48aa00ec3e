package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Quantity;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Upstream's {@code GetPodQOS}: Guaranteed, Burstable or BestEffort from cpu/memory requests and limits. */
public final class QosClass {

    private static final List<String> COMPUTE = List.of("cpu", "memory");

    private QosClass() {
    }

    public static String of(JsonNode podSpec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : Json.objects(podSpec.get(list))) {
                add(requests, Json.at(c, "resources", "requests"));
                int found = add(limits, Json.at(c, "resources", "limits"));
                if (found < COMPUTE.size()) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, BigDecimal> r : requests.entrySet()) {
                BigDecimal l = limits.get(r.getKey());
                if (l == null || l.compareTo(r.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        return guaranteed && requests.size() == limits.size() ? "Guaranteed" : "Burstable";
    }

    /** Adds positive cpu/memory quantities into {@code sum}; returns how many of them were set. */
    private static int add(Map<String, BigDecimal> sum, JsonNode resources) {
        int found = 0;
        for (String name : COMPUTE) {
            BigDecimal q = Quantity.parse(Json.str(resources, name));
            if (q != null && q.signum() > 0) {
                sum.merge(name, q, BigDecimal::add);
                found++;
            }
        }
        return found;
    }
}
