package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Optional;

/**
 * Reads the objects straight from the API server on each use (upstream's "Get" change-detection
 * strategy); callers limit how often they ask, so a pod costs a few GETs per resync period.
 */
public final class ApiPodObjects implements PodObjects {

    private final KubernetesClient client;

    public ApiPodObjects(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
        return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
    }

    @Override
    public io.fabric8.kubernetes.api.model.authentication.TokenRequest requestToken(
            String namespace, String serviceAccount, io.fabric8.kubernetes.api.model.authentication.TokenRequest request) {
        return client.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request);
    }

    @Override
    public Optional<PersistentVolume> persistentVolume(String name) {
        return Optional.ofNullable(client.persistentVolumes().withName(name).get());
    }
}
