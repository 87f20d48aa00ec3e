package io.jk8s.kubelet.pod;

/**
 * Labels and annotations the kubelet puts on CRI sandboxes and containers, with upstream's
 * keys so that tools like crictl show familiar names. Labels are for selecting; annotations
 * carry kubelet bookkeeping that must survive a kubelet restart (restart counts).
 */
public final class CriLabels {

    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    /** Marks containers created by jk8s, so that a relist ignores foreign ones. */
    public static final String MANAGED_BY = "io.jk8s.managed-by";
    public static final String MANAGED_BY_VALUE = "jk8s-kubelet";

    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String INIT_CONTAINER = "io.jk8s.container.init";
    public static final String TERMINATION_GRACE = "io.kubernetes.pod.terminationGracePeriod";

    private CriLabels() {
    }
}
