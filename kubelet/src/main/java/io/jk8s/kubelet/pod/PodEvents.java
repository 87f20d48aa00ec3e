package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;

/** Where the kubelet reports what happened to a pod (core/v1 Events, in production). Best effort. */
public interface PodEvents {

    void warning(Pod pod, String reason, String message);

    void normal(Pod pod, String reason, String message);

    PodEvents NONE = new PodEvents() {
        @Override
        public void warning(Pod pod, String reason, String message) {
        }

        @Override
        public void normal(Pod pod, String reason, String message) {
        }
    };
}
