package io.jk8s.cli.server;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StartedPartsTest {

    @Test
    void closesInReverseStartOrderAndGoesOnPastAFailure() {
        List<String> closed = new ArrayList<>();
        StartedParts started = new StartedParts();
        started.push(() -> closed.add("containerd"));
        started.push(() -> {
            closed.add("kubelet");
            throw new IllegalStateException("stuck");
        });
        AutoCloseable proxy = started.push(() -> closed.add("proxy"));

        started.close();
        started.close(); // a second close has nothing left to close

        assertThat(proxy).isNotNull();
        assertThat(closed).containsExactly("proxy", "kubelet", "containerd");
    }
}
