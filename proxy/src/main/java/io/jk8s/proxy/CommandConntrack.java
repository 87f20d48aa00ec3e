package io.jk8s.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Conntrack} by running the {@code conntrack} tool (conntrack-tools), optionally in a network namespace.
 * Without the tool it warns once and does nothing more: stale UDP entries then live until they time out
 * (30 s of silence for an unreplied flow, 120 s for an assured one).
 */
public final class CommandConntrack implements Conntrack {

    private static final Logger log = LoggerFactory.getLogger(CommandConntrack.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final String netns;
    private volatile boolean missing;

    /** @param netns network namespace for {@code ip netns exec}, or null for the current one */
    public CommandConntrack(String netns) {
        this.netns = netns;
    }

    @Override
    public void delete(UdpFlush flush) {
        if (missing) return;
        List<String> cmd = new ArrayList<>();
        if (netns != null) cmd.addAll(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of("conntrack", "-D", "-p", "udp"));
        if (flush.origDst() != null) cmd.addAll(List.of("--orig-dst", flush.origDst()));
        if (flush.origPortDst() > 0) cmd.addAll(List.of("--orig-port-dst", Integer.toString(flush.origPortDst())));
        if (flush.dnatTo() != null) cmd.addAll(List.of("--dst-nat", flush.dnatTo()));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.warn("timed out: {}", cmd);
            } else if (p.exitValue() != 0 && !out.contains("0 flow entries")) {
                // Exit 1 with "0 flow entries have been deleted" only means nothing matched.
                log.warn("{} failed ({}): {}", cmd, p.exitValue(), out.strip());
            }
        } catch (IOException e) {
            missing = true;
            log.warn("conntrack tool not found ({}); stale UDP flows to removed endpoints will only time out. "
                    + "Install conntrack-tools (Debian: conntrack).", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
