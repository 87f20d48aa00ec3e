package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.storage.ResourceStorage;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

/**
 * Ensures the bootstrap policy at start, as upstream's {@code reconcile}: missing objects are
 * created; existing ones annotated {@code autoupdate: "false"} are left alone; otherwise missing
 * labels, annotations, rules (those the current rules do not cover), aggregation selectors and
 * subjects are added, and nothing the user added is removed.
 */
public final class PolicyReconciler {

    private static final Logger log = LoggerFactory.getLogger(PolicyReconciler.class);

    private final ResourceStorage storage;
    private final ResourceRegistry registry;

    public PolicyReconciler(ResourceStorage storage, ResourceRegistry registry) {
        this.storage = storage;
        this.registry = registry;
    }

    /**
     * Reconciles every bootstrap object; returns how many were created or updated. The objects are
     * independent, so they are written concurrently: the store's group commit then takes a few
     * transactions instead of one per object (a fresh start writes about 40).
     */
    public int reconcile(List<BootstrapPolicy.Item> items) {
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (BootstrapPolicy.Item item : items) {
                KindStrategy s = registry.byResource(BootstrapPolicy.GROUP, "v1", item.resource()).orElse(null);
                if (s == null) continue; // a reduced registry (tests)
                results.add(writers.submit(() -> reconcileOne(s, item)));
            }
        }
        int changed = 0;
        for (Future<Boolean> r : results) {
            try {
                if (r.get()) changed++;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reconciling the RBAC policy", e);
            }
        }
        return changed;
    }

    private boolean reconcileOne(KindStrategy s, BootstrapPolicy.Item item) {
        Optional<ObjectNode> current = read(s, item);
        if (current.isEmpty()) {
            try {
                storage.create(s, item.namespace(), item.object().deepCopy(), false);
                return true;
            } catch (ApiException e) {
                if (e.code() != 409) throw e;
                return false; // another API server created it meanwhile
            }
        }
        if ("false".equals(current.get().path("metadata").path("annotations").path(BootstrapPolicy.AUTOUPDATE).asText())) {
            return false;
        }
        if (merged(current.get().deepCopy(), item.object()).isEmpty()) return false;
        storage.patchWith(s, item.namespace(), item.name(),
                (UnaryOperator<ObjectNode>) cur -> merged(cur, item.object()).orElse(cur), ResourceStorage.Part.MAIN, false);
        log.info("rbac: reconciled {} {}", s.type().kind(), item.name());
        return true;
    }

    private Optional<ObjectNode> read(KindStrategy s, BootstrapPolicy.Item item) {
        try {
            return Optional.of(storage.get(s, item.namespace(), item.name(), false));
        } catch (ApiException e) {
            if (e.code() == 404) return Optional.empty();
            throw e;
        }
    }

    /** {@code current} with what {@code expected} adds, or empty when nothing is missing. */
    static Optional<ObjectNode> merged(ObjectNode current, ObjectNode expected) {
        boolean changed = addMissingEntries(current, expected, "labels") | addMissingEntries(current, expected, "annotations");
        if (expected.has("roleRef") && !expected.get("roleRef").equals(current.get("roleRef"))) {
            // roleRef is immutable upstream (they delete and re-create); replace the binding's content.
            current.set("roleRef", expected.get("roleRef").deepCopy());
            current.set("subjects", expected.get("subjects").deepCopy());
            return Optional.of(current);
        }
        if (expected.has("subjects")) changed |= addMissingItems(current, "subjects", expected.get("subjects"));
        if (expected.has("rules") && !expected.has("aggregationRule")) {
            List<PolicyRule> missing = Covers.uncovered(PolicyRule.listOf(current.get("rules")), PolicyRule.listOf(expected.get("rules")));
            if (!missing.isEmpty()) {
                ArrayNode rules = current.has("rules") && current.get("rules").isArray() ? (ArrayNode) current.get("rules") : current.putArray("rules");
                for (JsonNode r : expected.get("rules")) {
                    if (Covers.uncovered(PolicyRule.listOf(rules), List.of(PolicyRule.fromJson(r))).isEmpty()) continue;
                    rules.add(r.deepCopy());
                }
                changed = true;
            }
        }
        JsonNode selectors = expected.path("aggregationRule").path("clusterRoleSelectors");
        if (selectors.isArray() && !selectors.isEmpty()) {
            ObjectNode rule = current.has("aggregationRule") && current.get("aggregationRule").isObject()
                    ? (ObjectNode) current.get("aggregationRule") : current.putObject("aggregationRule");
            changed |= addMissingItems(rule, "clusterRoleSelectors", selectors);
        }
        return changed ? Optional.of(current) : Optional.empty();
    }

    private static boolean addMissingEntries(ObjectNode current, ObjectNode expected, String field) {
        JsonNode want = expected.path("metadata").path(field);
        if (!want.isObject() || want.isEmpty()) return false;
        ObjectNode meta = (ObjectNode) current.get("metadata");
        ObjectNode have = meta.has(field) && meta.get(field).isObject() ? (ObjectNode) meta.get(field) : meta.putObject(field);
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!have.has(e.getKey())) {
                have.set(e.getKey(), e.getValue().deepCopy());
                changed = true;
            }
        }
        return changed;
    }

    private static boolean addMissingItems(ObjectNode current, String field, JsonNode wanted) {
        ArrayNode have = current.has(field) && current.get(field).isArray() ? (ArrayNode) current.get(field) : current.putArray(field);
        boolean changed = false;
        for (JsonNode w : wanted) {
            boolean present = false;
            for (JsonNode h : have) present |= h.equals(w);
            if (!present) {
                have.add(w.deepCopy());
                changed = true;
            }
        }
        return changed;
    }
}
