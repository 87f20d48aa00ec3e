package io.jk8s.apiserver.auth.rbac;

import io.jk8s.apiserver.storage.ResourceStorage;
import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.registry.ResourceRegistry;

/** RBAC's parts for one API server, all reading the policy from its watch cache. */
public final class Rbac {

    private final RbacAuthorizer authorizer;
    private final EscalationGuard escalationGuard;
    private final AccessReviews reviews;
    private final PolicyReconciler reconciler;

    public Rbac(CacheHub cache, ResourceStorage storage, ResourceRegistry registry) {
        this.authorizer = new RbacAuthorizer(new CachedPolicySource(cache));
        this.escalationGuard = new EscalationGuard(authorizer);
        this.reviews = new AccessReviews(authorizer);
        this.reconciler = new PolicyReconciler(storage, registry);
    }

    public RbacAuthorizer authorizer() {
        return authorizer;
    }

    public EscalationGuard escalationGuard() {
        return escalationGuard;
    }

    public AccessReviews reviews() {
        return reviews;
    }

    /** Creates or completes the bootstrap policy; returns how many objects changed. */
    public int reconcileBootstrapPolicy() {
        return reconciler.reconcile(BootstrapPolicy.items());
    }
}
