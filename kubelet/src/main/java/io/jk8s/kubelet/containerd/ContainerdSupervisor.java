package io.jk8s.kubelet.containerd;

import io.jk8s.kubelet.cri.CriClient;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.RuntimeCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs jk8s' own containerd: writes its configuration, starts it (or adopts one left running
 * by a previous agent), waits until its CRI service reports {@code RuntimeReady}, restarts it
 * with back-off if it dies, and stops it on {@link #close()}.
 *
 * <p>Why adoption: the kubelet restarting must not disturb running pods. containerd is started
 * in its own session (so signals to the agent's terminal do not reach it) and keeps running
 * when the JVM exits; its shims keep containers alive even while containerd itself restarts.
 *
 * <p>Threading: {@link #start()} may be called once; supervision runs on one virtual thread.
 */
public final class ContainerdSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContainerdSupervisor.class);

    /**
     * @param containerd     the containerd binary
     * @param readyTimeout   how long one start may take until CRI reports RuntimeReady
     * @param stopOnClose    stop containerd in {@link #close()} (false leaves it for the next agent)
     * @param initialBackoff first wait before restarting a containerd that died, doubled up to maxBackoff
     * @param maxBackoff     longest wait between restarts
     */
    public record Options(Path containerd, Duration readyTimeout, boolean stopOnClose,
                          Duration initialBackoff, Duration maxBackoff) {
        public static Options defaults() {
            return new Options(Path.of("/usr/bin/containerd"), Duration.ofSeconds(60), true,
                    Duration.ofSeconds(1), Duration.ofSeconds(30));
        }

        public Options withStopOnClose(boolean stop) {
            return new Options(containerd, readyTimeout, stop, initialBackoff, maxBackoff);
        }
    }

    private final ContainerdConfig config;
    private final Options options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition closedSignal = lock.newCondition();
    private volatile ProcessHandle process;
    private volatile boolean closed;
    private volatile int restarts;
    private Thread monitor;

    public ContainerdSupervisor(ContainerdConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    public ContainerdConfig config() {
        return config;
    }

    /** The CRI endpoint of this containerd. */
    public Path socket() {
        return config.socket();
    }

    /** Pid of the containerd currently supervised, if any. */
    public Optional<Long> pid() {
        ProcessHandle p = process;
        return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
    }

    /** How many times containerd was restarted after dying. */
    public int restarts() {
        return restarts;
    }

    /**
     * Starts (or adopts) containerd. The future completes with the socket path once CRI reports
     * RuntimeReady, or exceptionally if containerd does not become ready in time.
     */
    public CompletableFuture<Path> start() {
        CompletableFuture<Path> ready = new CompletableFuture<>();
        monitor = Thread.ofVirtual().name("containerd-supervisor").start(() -> supervise(ready));
        return ready;
    }

    private void supervise(CompletableFuture<Path> firstReady) {
        Duration backoff = options.initialBackoff();
        boolean first = true;
        while (!closed) {
            try {
                ProcessHandle handle = adoptRunning().orElseGet(this::launch);
                process = handle;
                awaitReady(handle);
                if (first) {
                    firstReady.complete(config.socket());
                    first = false;
                }
                Instant upSince = Instant.now();
                handle.onExit().join();
                if (closed) {
                    return;
                }
                // A containerd that stayed up for a while earns a fresh back-off.
                if (Duration.between(upSince, Instant.now()).compareTo(options.maxBackoff()) > 0) {
                    backoff = options.initialBackoff();
                }
                log.warn("containerd (pid {}) exited; restarting in {} ms; see {}", handle.pid(),
                        backoff.toMillis(), config.logFile());
            } catch (RuntimeException e) {
                if (first) {
                    firstReady.completeExceptionally(e);
                    stopProcess();
                    return;
                }
                log.error("containerd restart failed; retrying in {} ms", backoff.toMillis(), e);
                stopProcess();
            }
            if (!waitUnlessClosed(backoff)) {
                return;
            }
            restarts++;
            backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0
                    ? options.maxBackoff() : backoff.multipliedBy(2);
        }
    }

    /** A containerd that a previous agent started with this same configuration and left running. */
    private Optional<ProcessHandle> adoptRunning() {
        if (!Files.exists(config.pidFile())) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(config.pidFile()).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(this::isOurContainerd);
            handle.ifPresent(h -> log.info("adopting running containerd pid {}", h.pid()));
            return handle;
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean isOurContainerd(ProcessHandle handle) {
        // /proc/<pid>/cmdline is reliable for processes not started by this JVM.
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "cmdline"))
                    .replace('\0', ' ');
            return cmdline.contains("containerd") && cmdline.contains(config.configFile().toString());
        } catch (IOException e) {
            return false;
        }
    }

    private ProcessHandle launch() {
        try {
            Files.createDirectories(config.dir());
            Files.createDirectories(config.cniConfDir());
            Files.writeString(config.configFile(), config.toToml());
            // A socket left by a dead containerd would make readiness checks talk to nothing.
            Files.deleteIfExists(config.socket());
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid"); // own session: the agent's Ctrl-C must not reach it
            }
            command.addAll(List.of(options.containerd().toString(), "--config", config.configFile().toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            Process started = builder.start();
            Files.writeString(config.pidFile(), Long.toString(started.pid()));
            log.info("started containerd pid {} with {}", started.pid(), config.configFile());
            return started.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start containerd", e);
        }
    }

    private void awaitReady(ProcessHandle handle) {
        Instant deadline = Instant.now().plus(options.readyTimeout());
        String lastProblem = "socket " + config.socket() + " not created";
        while (Instant.now().isBefore(deadline)) {
            if (!handle.isAlive()) {
                throw new IllegalStateException("containerd exited during start-up; log tail:\n" + logTail());
            }
            if (closed) {
                throw new IllegalStateException("supervisor closed during containerd start-up");
            }
            if (Files.exists(config.socket())) {
                try (CriClient cri = CriClient.connect(config.socket(), new CriClient.Timeouts(
                        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)))) {
                    Optional<RuntimeCondition> runtimeReady = cri.status().getConditionsList().stream()
                            .filter(c -> c.getType().equals("RuntimeReady")).findFirst();
                    if (runtimeReady.map(RuntimeCondition::getStatus).orElse(false)) {
                        return;
                    }
                    lastProblem = "RuntimeReady is " + runtimeReady.map(RuntimeCondition::toString).orElse("absent");
                } catch (CriException e) {
                    lastProblem = e.getMessage();
                }
            }
            if (!waitUnlessClosed(Duration.ofMillis(50))) {
                throw new IllegalStateException("supervisor closed during containerd start-up");
            }
        }
        throw new IllegalStateException("containerd not ready after " + options.readyTimeout() + ": "
                + lastProblem + "; log tail:\n" + logTail(), new TimeoutException());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(config.logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Waits for {@code duration} or until closed; returns false if closed. */
    private boolean waitUnlessClosed(Duration duration) {
        lock.lock();
        try {
            long nanos = duration.toNanos();
            while (!closed && nanos > 0) {
                nanos = closedSignal.awaitNanos(nanos);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void stopProcess() {
        ProcessHandle handle = process;
        if (handle == null || !handle.isAlive()) {
            return;
        }
        handle.destroy(); // SIGTERM: containerd shuts down cleanly, shims and containers live on
        try {
            handle.onExit().get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("containerd pid {} ignored SIGTERM; killing it", handle.pid());
            handle.destroyForcibly();
            handle.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.deleteIfExists(config.pidFile());
        } catch (IOException e) {
            log.debug("cannot remove {}", config.pidFile(), e);
        }
    }

    /** Stops supervision and, if {@link Options#stopOnClose()}, containerd itself. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closedSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (options.stopOnClose()) {
            stopProcess();
        }
        if (monitor != null) {
            try {
                monitor.join(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
