package io.jk8s.kubelet.containerd;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerdConfigTest {

    private final ContainerdConfig config = new ContainerdConfig(Path.of("/data/agent/containerd"),
            ContainerdConfig.DEFAULT_SANDBOX_IMAGE, Path.of("/usr/lib/cni"), Path.of("/data/agent/cni/net.d"), 41234);

    @Test
    void keepsEveryPathUnderItsOwnDirectory() {
        String toml = config.toToml();
        assertThat(toml)
                .contains("root = \"/data/agent/containerd/root\"")
                .contains("state = \"/data/agent/containerd/state\"")
                .contains("address = \"/data/agent/containerd/containerd.sock\"")
                .contains("path = \"/data/agent/containerd/opt\"")
                .doesNotContain("/run/containerd")
                .doesNotContain("/var/lib/containerd");
    }

    @Test
    void configuresCriForCgroupfsRuncOverlayAndOurCni() {
        assertThat(config.toToml())
                .contains("sandbox_image = \"registry.k8s.io/pause:3.10\"")
                .contains("snapshotter = \"overlayfs\"")
                .contains("SystemdCgroup = false")
                .contains("runtime_type = \"io.containerd.runc.v2\"")
                .contains("bin_dir = \"/usr/lib/cni\"")
                .contains("conf_dir = \"/data/agent/cni/net.d\"")
                .contains("stream_server_address = \"127.0.0.1\"")
                .contains("stream_server_port = \"41234\"");
    }

    @Test
    void quotesPathsWithSpecialCharacters() {
        ContainerdConfig odd = new ContainerdConfig(Path.of("/data/a\"b"), "img", Path.of("/cni"), Path.of("/conf"), 1);
        assertThat(odd.toToml()).contains("root = \"/data/a\\\"b/root\"");
    }
}
