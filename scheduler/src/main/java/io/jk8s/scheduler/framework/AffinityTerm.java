package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.jk8s.scheduler.util.LabelSelectors;

import java.util.Set;

/**
 * A parsed pod (anti-)affinity term: which pods it selects (label selector and namespaces) and the
 * topology key that defines "together". Namespaces default to the owning pod's namespace; an empty
 * {@code namespaceSelector} means all namespaces. Label-based namespace selectors need namespace labels,
 * which the scheduler does not watch: such terms select only the listed namespaces.
 */
public record AffinityTerm(LabelSelector selector, Set<String> namespaces, boolean allNamespaces, String topologyKey) {

    public static AffinityTerm of(PodAffinityTerm term, String ownerNamespace) {
        boolean all = term.getNamespaceSelector() != null && LabelSelectors.isEmpty(term.getNamespaceSelector());
        Set<String> ns;
        if (term.getNamespaces() != null && !term.getNamespaces().isEmpty()) {
            ns = Set.copyOf(term.getNamespaces());
        } else if (term.getNamespaceSelector() == null) {
            ns = Set.of(ownerNamespace == null ? "default" : ownerNamespace);
        } else {
            ns = Set.of();
        }
        return new AffinityTerm(term.getLabelSelector(), ns, all, term.getTopologyKey());
    }

    /** True when {@code pod} is one of the pods this term selects. */
    public boolean matches(PodInfo pod) {
        return (allNamespaces || namespaces.contains(pod.namespace())) && LabelSelectors.matches(selector, pod.labels());
    }
}
