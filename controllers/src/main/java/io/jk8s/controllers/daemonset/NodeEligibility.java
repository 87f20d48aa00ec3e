package io.jk8s.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jk8s.controllers.runtime.Tolerations;

import java.util.List;
import java.util.Map;

/** Whether a DaemonSet pod belongs on a node: nodeSelector, required node affinity, NoSchedule/NoExecute taints. */
final class NodeEligibility {

    private NodeEligibility() {
    }

    static boolean shouldRun(PodSpec spec, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (spec.getNodeSelector() != null && !labels.entrySet().containsAll(spec.getNodeSelector().entrySet())) return false;
        var affinity = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
                : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (affinity != null && affinity.getNodeSelectorTerms() != null && !affinity.getNodeSelectorTerms().isEmpty()
                && affinity.getNodeSelectorTerms().stream().noneMatch(t -> matches(t, node, labels))) {
            return false;
        }
        List<Toleration> tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                if ("PreferNoSchedule".equals(t.getEffect())) continue;
                if (tolerations.stream().noneMatch(tol -> Tolerations.tolerates(tol, t))) return false;
            }
        }
        return true;
    }

    private static boolean matches(NodeSelectorTerm term, Node node, Map<String, String> labels) {
        if (term.getMatchExpressions() != null) {
            for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                if (!matches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) return false;
            }
        }
        if (term.getMatchFields() != null) {
            for (NodeSelectorRequirement r : term.getMatchFields()) {
                boolean isName = "metadata.name".equals(r.getKey());
                if (!matches(r, isName ? node.getMetadata().getName() : null, isName)) return false;
            }
        }
        return true;
    }

    private static boolean matches(NodeSelectorRequirement r, String value, boolean present) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> present && values.contains(value);
            case "NotIn" -> !present || !values.contains(value);
            case "Exists" -> present;
            case "DoesNotExist" -> !present;
            case "Gt" -> present && !values.isEmpty() && parse(value) > parse(values.get(0));
            case "Lt" -> present && !values.isEmpty() && parse(value) < parse(values.get(0));
            default -> false;
        };
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
