package io.jk8s.kubelet.containerd;

import java.nio.file.Path;

/**
 * The configuration of a containerd that jk8s runs for itself: every path lives under
 * {@code dir} (normally {@code <data-dir>/agent/containerd}) so that it never touches a
 * system containerd, and several jk8s agents (or tests) can run side by side.
 *
 * @param dir            root of this containerd's files (config, root, state, socket, log)
 * @param sandboxImage   the pause image used for pod sandboxes
 * @param cniBinDir      where the CNI plugin binaries are
 * @param cniConfDir     where the kubelet writes the CNI network configuration
 * @param streamPort     loopback port of containerd's exec/attach/port-forward streaming server
 */
public record ContainerdConfig(Path dir, String sandboxImage, Path cniBinDir, Path cniConfDir, int streamPort) {

    public static final String DEFAULT_SANDBOX_IMAGE = "registry.k8s.io/pause:3.10";

    public Path configFile() {
        return dir.resolve("config.toml");
    }

    public Path socket() {
        return dir.resolve("containerd.sock");
    }

    public Path root() {
        return dir.resolve("root");
    }

    public Path state() {
        return dir.resolve("state");
    }

    public Path logFile() {
        return dir.resolve("containerd.log");
    }

    public Path pidFile() {
        return dir.resolve("containerd.pid");
    }

    /** containerd 1.6 configuration (format version 2) with the CRI plugin on cgroupfs and runc. */
    public String toToml() {
        String cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        return """
                # Written by jk8s; rewritten at every agent start.
                version = 2
                root = %s
                state = %s
                oom_score = -999

                [grpc]
                  address = %s

                [ttrpc]
                  address = %s

                [debug]
                  address = ""
                  level = "info"

                [metrics]
                  address = ""

                [plugins."io.containerd.internal.v1.opt"]
                  path = %s

                [%s]
                  sandbox_image = %s
                  stream_server_address = "127.0.0.1"
                  stream_server_port = "%d"
                  enable_selinux = false
                  disable_apparmor = true
                  # Clamp pod OOM scores to containerd's own: where the agent lacks CAP_SYS_RESOURCE
                  # (some VMs, nested containers) containerd keeps score 0 and runc could not set
                  # the sandbox's -998, failing every pod; where -999 works this changes nothing.
                  restrict_oom_score_adj = true
                  max_container_log_line_size = 16384

                [%s.containerd]
                  snapshotter = "overlayfs"
                  default_runtime_name = "runc"
                  # Images are imported by jk8s, never pulled behind its back.
                  discard_unpacked_layers = false

                [%s.containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"

                [%s.containerd.runtimes.runc.options]
                  SystemdCgroup = false

                [%s.cni]
                  bin_dir = %s
                  conf_dir = %s
                  max_conf_num = 1
                """.formatted(
                quote(root()), quote(state()), quote(socket()), quote(dir.resolve("containerd.sock.ttrpc")),
                quote(dir.resolve("opt")),
                cri, quote(sandboxImage), streamPort,
                cri, cri, cri,
                cri, quote(cniBinDir), quote(cniConfDir));
    }

    private static String quote(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
