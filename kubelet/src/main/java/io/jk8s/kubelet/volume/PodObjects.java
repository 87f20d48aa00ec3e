package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.Optional;

/** The API objects a pod's volumes and environment refer to; empty when the object does not exist. */
public interface PodObjects {

    Optional<ConfigMap> configMap(String namespace, String name);

    Optional<Secret> secret(String namespace, String name);

    Optional<PersistentVolumeClaim> claim(String namespace, String name);

    Optional<PersistentVolume> persistentVolume(String name);

    /**
     * Asks the API server for a token of {@code serviceAccount} ({@code POST serviceaccounts/NAME/token});
     * the answered TokenRequest carries {@code status.token} and {@code status.expirationTimestamp}.
     *
     * @throws RuntimeException when the request fails (no such account, forbidden, unreachable)
     */
    default io.fabric8.kubernetes.api.model.authentication.TokenRequest requestToken(
            String namespace, String serviceAccount, io.fabric8.kubernetes.api.model.authentication.TokenRequest request) {
        throw new UnsupportedOperationException("this node cannot request service account tokens");
    }

    /** For tests and nodes without an API: nothing exists. */
    PodObjects NONE = new PodObjects() {
        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Secret> secret(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<PersistentVolumeClaim> claim(String namespace, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<PersistentVolume> persistentVolume(String name) {
            return Optional.empty();
        }
    };
}
