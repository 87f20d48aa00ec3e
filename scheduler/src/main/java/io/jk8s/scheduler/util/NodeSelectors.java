package io.jk8s.scheduler.util;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;

import java.util.List;
import java.util.Map;

/**
 * Matching of node selector terms (node affinity): terms are ORed, requirements within a term ANDed,
 * an empty term matches nothing. Label operators In, NotIn, Exists, DoesNotExist, Gt, Lt; field
 * requirements support {@code metadata.name} with In and NotIn.
 */
public final class NodeSelectors {

    private NodeSelectors() {
    }

    public static boolean matches(NodeSelector selector, Node node) {
        if (selector == null || selector.getNodeSelectorTerms() == null) {
            return false;
        }
        for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
            if (matches(term, node)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(NodeSelectorTerm term, Node node) {
        List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
        List<NodeSelectorRequirement> fields = term.getMatchFields();
        boolean noExprs = exprs == null || exprs.isEmpty();
        boolean noFields = fields == null || fields.isEmpty();
        if (noExprs && noFields) {
            return false;
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        if (!noExprs) {
            for (NodeSelectorRequirement r : exprs) {
                if (!matchesLabel(r, labels)) {
                    return false;
                }
            }
        }
        if (!noFields) {
            for (NodeSelectorRequirement r : fields) {
                if (!matchesField(r, node.getMetadata().getName())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matchesLabel(NodeSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt", "Lt" -> value != null && values.size() == 1 && compare(r.getOperator(), value, values.get(0));
            default -> false;
        };
    }

    private static boolean compare(String op, String labelValue, String bound) {
        try {
            long l = Long.parseLong(labelValue);
            long b = Long.parseLong(bound);
            return op.equals("Gt") ? l > b : l < b;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean matchesField(NodeSelectorRequirement r, String nodeName) {
        if (!"metadata.name".equals(r.getKey())) {
            return false;
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        return switch (r.getOperator()) {
            case "In" -> values.contains(nodeName);
            case "NotIn" -> !values.contains(nodeName);
            default -> false;
        };
    }

    /** True when the node's labels contain every entry of the pod's {@code spec.nodeSelector}. */
    public static boolean matchesNodeSelectorMap(Map<String, String> nodeSelector, Node node) {
        if (nodeSelector == null || nodeSelector.isEmpty()) {
            return true;
        }
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
