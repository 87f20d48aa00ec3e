package io.jk8s.cli.components;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs started components until the process is told to stop (Ctrl-C, SIGTERM), then closes them in reverse. */
final class Foreground {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    private static final long START_TIMEOUT_SECONDS = 120;

    private Foreground() {
    }

    /** Waits for {@code started}, reports {@code what}, then blocks until shutdown; closes {@code resources} last-first. */
    static int run(String what, CompletableFuture<?> started, AutoCloseable... resources) throws Exception {
        List<AutoCloseable> toClose = new ArrayList<>(List.of(resources));
        try {
            started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeAll(toClose);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("{}: shutting down", what);
            try {
                closeAll(toClose);
            } finally {
                stopped.countDown();
            }
        }, "jk8s-shutdown"));
        LOG.info("{}: running", what);
        stopped.await();
        return 0;
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
            }
        }
    }
}
