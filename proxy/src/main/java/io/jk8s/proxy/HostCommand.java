package io.jk8s.proxy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one rule-programming tool ({@code iptables-restore}, {@code nft -f -} ...) to completion, inside a
 * network namespace when one is given, feeding it {@code stdin} and returning its exit code and merged output.
 * The two proxy backends differ only in the tool and in the exception they report failures with.
 */
public final class HostCommand {

    /** Exit code and stdout+stderr of a finished command. */
    public record Result(int exit, String output) {
    }

    /** Why a command could not be run to completion (not started, timed out, interrupted). */
    public static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HostCommand() {
    }

    /** @param netns network namespace to run in ({@code ip netns exec}), or null for the host's own */
    public static Result run(String netns, List<String> command, String stdin, long timeoutSeconds) throws Failure {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            // Write on another thread: a large script and a chatty error output must not block each other.
            Thread writer = Thread.ofVirtual().start(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the tool exited early; its output says why
                }
            });
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Failure("timed out: " + full, null);
            }
            writer.join();
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new Failure("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted: " + full, e);
        }
    }
}
