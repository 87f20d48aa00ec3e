package io.jk8s.e2e;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A {@code jk8s hollow-nodes} process registering nodes with a test's server. */
final class HollowProcess {

    private HollowProcess() {
    }

    static Process start(Jk8sServer server, Path dir, String prefix, int count) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Jk8sServer.jar().toString(), "hollow-nodes", "--count", Integer.toString(count), "--prefix", prefix,
                "--kubeconfig", server.kubeconfig().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(prefix + "hollow.log").toFile()).start();
    }

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
