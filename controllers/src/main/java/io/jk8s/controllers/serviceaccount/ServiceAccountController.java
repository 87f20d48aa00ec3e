package io.jk8s.controllers.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.SyncResult;

/** Keeps a {@code default} ServiceAccount in every active namespace (recreated if deleted). Keys are namespace names. */
public final class ServiceAccountController extends Controller {

    static final String DEFAULT = "default";

    private final KubernetesClient client;
    private final Informers informers;

    public ServiceAccountController(ControllerContext ctx) {
        super("serviceaccount");
        this.client = ctx.client();
        this.informers = ctx.informers();
    }

    @Override
    public void register(Informers inf) {
        inf.on(Namespace.class, this::enqueue, (o, n) -> enqueue(n), ns -> { });
        inf.on(ServiceAccount.class, sa -> { }, (o, n) -> { }, sa -> {
            if (DEFAULT.equals(sa.getMetadata().getName())) enqueue(sa.getMetadata().getNamespace());
        });
    }

    @Override
    protected SyncResult sync(String namespace) {
        Namespace ns = informers.get(Namespace.class, namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) return SyncResult.done();
        if (informers.get(ServiceAccount.class, Keys.of(namespace, DEFAULT)) != null) return SyncResult.done();
        try {
            client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
                    .withNewMetadata().withName(DEFAULT).withNamespace(namespace).endMetadata().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
        }
        return SyncResult.done();
    }
}
