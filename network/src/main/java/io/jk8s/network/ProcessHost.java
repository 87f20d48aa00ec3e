package io.jk8s.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link Host} by running the commands as processes, optionally inside a named network namespace. */
public final class ProcessHost implements Host {

    private static final long TIMEOUT_SECONDS = 30;
    private final Optional<String> netns;

    /** @param netns a namespace for {@code ip netns exec} (tests), or empty for this process' namespace */
    public ProcessHost(Optional<String> netns) {
        this.netns = netns;
    }

    public static ProcessHost current() {
        return new ProcessHost(Optional.empty());
    }

    @Override
    public Result run(List<String> argv, String stdin) {
        List<String> full = new ArrayList<>();
        netns.ifPresent(ns -> full.addAll(List.of("ip", "netns", "exec", ns)));
        full.addAll(argv);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + full);
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + full + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted: " + full);
        }
    }
}
