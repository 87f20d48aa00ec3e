package io.jk8s.cli.server;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ControlPlane} in the foreground until the process is told to stop (Ctrl-C,
 * SIGTERM): the JVM shutdown hook closes the server, then the store.
 */
final class ServerRunner {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");

    private ServerRunner() {
    }

    static int run(ServerOptions options, String agentNote) throws Exception {
        ControlPlane controlPlane = ControlPlane.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            try {
                controlPlane.close();
            } finally {
                stopped.countDown();
            }
        }, "jk8s-shutdown"));
        LOG.info(agentNote);
        LOG.info("ready in {} ms since process start; admin kubeconfig: {}", sinceProcessStart().toMillis(),
                controlPlane.dataDir().adminKubeconfig());
        System.out.println("jk8s: API ready at https://127.0.0.1:" + controlPlane.port()
                + "\njk8s: export KUBECONFIG=" + controlPlane.dataDir().adminKubeconfig());
        stopped.await();
        return 0;
    }

    private static Duration sinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()))
                .orElse(Duration.ZERO);
    }
}
