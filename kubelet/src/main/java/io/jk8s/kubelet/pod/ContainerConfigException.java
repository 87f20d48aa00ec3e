package io.jk8s.kubelet.pod;

/** A container cannot be configured yet (e.g. a referenced ConfigMap is missing): CreateContainerConfigError. */
public final class ContainerConfigException extends Exception {

    public ContainerConfigException(String message) {
        super(message);
    }
}
