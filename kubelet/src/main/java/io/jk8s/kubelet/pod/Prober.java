package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs readiness and liveness probes (exec through CRI, httpGet, tcpSocket) for running
 * containers and remembers their outcome per container with upstream's thresholds and timing.
 * Called from pod workers only; thread-safe across pods.
 */
public final class Prober {

    /** Which probe of a container. */
    public enum Kind { READINESS, LIVENESS }

    private record Key(String containerId, Kind kind) {}

    /** Consecutive results and the current verdict of one probe. */
    private record State(boolean verdict, int successes, int failures, Instant lastRun) {}

    private final ContainerRuntime cri;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<Key, State> states = new ConcurrentHashMap<>();

    public Prober(ContainerRuntime cri, Clock clock) {
        this.cri = cri;
        this.clock = clock;
    }

    /**
     * Probes if due and returns the verdict: for readiness, "ready" (false until the first
     * success); for liveness, "alive" (true until failureThreshold consecutive failures).
     */
    public boolean check(Kind kind, Probe probe, Container container, String containerId, Instant startedAt, String podIp) {
        Key key = new Key(containerId, kind);
        boolean initial = kind == Kind.LIVENESS;
        State state = states.getOrDefault(key, new State(initial, 0, 0, null));
        Instant now = clock.instant();
        Duration initialDelay = Duration.ofSeconds(or(probe.getInitialDelaySeconds(), 0));
        Duration period = Duration.ofSeconds(or(probe.getPeriodSeconds(), 10));
        boolean due = !now.isBefore(startedAt.plus(initialDelay))
                && (state.lastRun() == null || !now.isBefore(state.lastRun().plus(period)));
        if (!due) {
            return state.verdict();
        }
        boolean success = run(probe, container, containerId, podIp);
        int successes = success ? state.successes() + 1 : 0;
        int failures = success ? 0 : state.failures() + 1;
        boolean verdict = state.verdict();
        if (success && successes >= or(probe.getSuccessThreshold(), 1)) {
            verdict = true;
        } else if (!success && failures >= or(probe.getFailureThreshold(), 3)) {
            verdict = false;
        }
        states.put(key, new State(verdict, successes, failures, now));
        return verdict;
    }

    /** How long until some probe of this container is due again, at most the probe's period. */
    public Duration nextDue(Probe probe) {
        return Duration.ofSeconds(or(probe.getPeriodSeconds(), 10));
    }

    /** Forgets a container's probe state (it was replaced or removed). */
    public void forget(String containerId) {
        states.keySet().removeIf(k -> k.containerId().equals(containerId));
    }

    boolean run(Probe probe, Container container, String containerId, String podIp) {
        Duration timeout = Duration.ofSeconds(or(probe.getTimeoutSeconds(), 1));
        try {
            if (probe.getExec() != null) {
                return cri.execSync(containerId, probe.getExec().getCommand(), timeout).getExitCode() == 0;
            }
            if (probe.getHttpGet() != null) {
                var get = probe.getHttpGet();
                String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
                String scheme = Objects.requireNonNullElse(get.getScheme(), "HTTP").toLowerCase();
                String path = Objects.requireNonNullElse(get.getPath(), "/");
                URI uri = URI.create(scheme + "://" + host + ":" + port(get.getPort(), container)
                        + (path.startsWith("/") ? path : "/" + path));
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                        .header("User-Agent", "kube-probe/1.31");
                if (get.getHttpHeaders() != null) {
                    get.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
                }
                int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return status >= 200 && status < 400;
            }
            if (probe.getTcpSocket() != null) {
                String host = probe.getTcpSocket().getHost() == null || probe.getTcpSocket().getHost().isEmpty()
                        ? podIp : probe.getTcpSocket().getHost();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port(probe.getTcpSocket().getPort(), container)),
                            (int) timeout.toMillis());
                    return true;
                }
            }
            return true; // no handler (e.g. grpc, unsupported): do not hold the container back
        } catch (CriException | IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A probe port: a number, or the name of one of the container's ports. */
    static int port(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        String name = port.getStrVal();
        return Objects.requireNonNullElse(container.getPorts(), List.<ContainerPort>of()).stream()
                .filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst()
                .orElseGet(() -> Integer.parseInt(name));
    }

    private static int or(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }
}
