package io.jk8s.controllers.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.SyncResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Upstream's root CA certificate publisher: every active namespace has a ConfigMap {@code kube-root-ca.crt}
 * whose {@code ca.crt} is the CA that signs the API server's serving certificate, so pods can verify
 * {@code https://kubernetes.default.svc} (the service-account token volume projects it). Drifted contents
 * are put back and a deleted ConfigMap is recreated. Keys are namespace names.
 *
 * <p>The CA is the one this controller manager trusts for its own API connection (its kubeconfig's
 * certificate authority), as upstream falls back to when {@code --root-ca-file} is not given; without one
 * the controller does nothing.
 */
public final class RootCaPublisher extends Controller {

    public static final String NAME = "kube-root-ca.crt";
    static final String KEY = "ca.crt";
    static final String DESCRIPTION = "kubernetes.io/description";
    static final String DESCRIPTION_TEXT = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed "
            + "across distributions of Kubernetes clusters.";

    private final KubernetesClient client;
    private final Informers informers;
    private final String rootCa;

    public RootCaPublisher(ControllerContext ctx) {
        this(ctx, rootCaOf(ctx.client().getConfiguration()));
    }

    /** @param rootCa PEM bundle to publish; null = publish nothing */
    public RootCaPublisher(ControllerContext ctx, String rootCa) {
        super("root-ca-cert-publisher");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.rootCa = rootCa;
        if (rootCa == null) log.info("root-ca-cert-publisher: the API connection has no CA; kube-root-ca.crt is not published");
    }

    @Override
    public void register(Informers inf) {
        if (rootCa == null) return;
        inf.on(Namespace.class, this::enqueue, (o, n) -> enqueue(n), ns -> { });
        inf.on(ConfigMap.class, cm -> { }, (o, n) -> enqueueIfOurs(n), this::enqueueIfOurs);
    }

    private void enqueueIfOurs(ConfigMap cm) {
        if (NAME.equals(cm.getMetadata().getName())) enqueue(cm.getMetadata().getNamespace());
    }

    @Override
    protected SyncResult sync(String namespace) {
        Namespace ns = informers.get(Namespace.class, namespace);
        if (ns == null || ns.getMetadata().getDeletionTimestamp() != null) return SyncResult.done();
        ConfigMap existing = informers.get(ConfigMap.class, Keys.of(namespace, NAME));
        if (existing == null) {
            try {
                client.configMaps().inNamespace(namespace).resource(wanted(namespace)).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e; // a stale cache: the update path runs on the next event
            }
            return SyncResult.done();
        }
        boolean sameData = Objects.equals(existing.getData(), Map.of(KEY, rootCa));
        boolean described = existing.getMetadata().getAnnotations() != null
                && DESCRIPTION_TEXT.equals(existing.getMetadata().getAnnotations().get(DESCRIPTION));
        if (sameData && described) return SyncResult.done();
        ConfigMap updated = new ConfigMapBuilder(existing).withData(Map.of(KEY, rootCa)).withBinaryData(null)
                .editMetadata().addToAnnotations(DESCRIPTION, DESCRIPTION_TEXT).endMetadata().build();
        client.configMaps().inNamespace(namespace).resource(updated).update();
        return SyncResult.done();
    }

    private ConfigMap wanted(String namespace) {
        return new ConfigMapBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToAnnotations(DESCRIPTION, DESCRIPTION_TEXT).endMetadata()
                .withData(Map.of(KEY, rootCa)).build();
    }

    /** The PEM CA of a fabric8 client configuration (inline data or file); null when it has none. */
    static String rootCaOf(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            String data = config.getCaCertData().trim();
            return data.startsWith("-----BEGIN") ? data + "\n" : new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
        }
        if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                return Files.readString(Path.of(config.getCaCertFile()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }
}
