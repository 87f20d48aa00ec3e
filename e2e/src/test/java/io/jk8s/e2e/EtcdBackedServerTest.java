package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code jk8s server --etcd-endpoints}: state lives in a real etcd and survives a server restart. */
@org.junit.jupiter.api.Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
class EtcdBackedServerTest {

    @Test
    void kubectlWorksOnEtcdAndObjectsSurviveARestart() throws Exception {
        Path dir = SharedServer.workDir("etcd-");
        try (EtcdProcess etcd = EtcdProcess.start(dir.resolve("etcd"));
             Jk8sServer server = Jk8sServer.start(dir.resolve("data"), List.of("--etcd-endpoints", etcd.endpoint()))) {
            assertThat(server.log()).contains("etcd " + etcd.endpoint());
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            Fixtures.namespace(kubectl, "on-etcd");
            Fixtures.configMap(kubectl, "on-etcd", "kept", "where", "etcd");
            String rv = ok(kubectl.run("get", "cm", "kept", "-n", "on-etcd", "-o", "jsonpath={.metadata.resourceVersion}"));

            server.stop();
            server.restart();

            assertThat(ok(kubectl.run("get", "cm", "kept", "-n", "on-etcd", "-o",
                    "jsonpath={.data.where} {.metadata.resourceVersion}"))).isEqualTo("etcd " + rv);
        }
    }
}
