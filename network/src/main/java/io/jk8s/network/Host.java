package io.jk8s.network;

import java.util.List;

/**
 * Runs one host networking command ({@code ip}, {@code bridge}, {@code iptables*}) and returns its
 * exit code and combined output. The one seam between the network agent and the kernel, so that
 * plans can be checked in unit tests and the real thing can run inside a test network namespace.
 */
public interface Host {

    record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code argv} with {@code stdin} (null for none); never throws for a non-zero exit. */
    Result run(List<String> argv, String stdin);

    default Result run(String... argv) {
        return run(List.of(argv), null);
    }

    /** Runs {@code argv} and returns its output; throws {@link HostCommandException} on failure. */
    default String check(String... argv) {
        Result r = run(List.of(argv), null);
        if (!r.ok()) throw new HostCommandException(String.join(" ", argv) + " failed (" + r.exit() + "): " + r.output().strip());
        return r.output();
    }

    final class HostCommandException extends RuntimeException {
        public HostCommandException(String message) {
            super(message);
        }
    }
}
