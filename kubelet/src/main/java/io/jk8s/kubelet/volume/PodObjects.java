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
