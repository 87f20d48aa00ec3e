package io.jk8s.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A network namespace the test creates and deletes, with commands run inside it. */
final class Netns implements AutoCloseable {

    final String name;
    private final List<Process> background = new ArrayList<>();

    Netns(String name) {
        this.name = name;
        host("ip", "netns", "add", name);
        ip("link", "set", "lo", "up");
    }

    /** Runs a command in the host namespace; fails on a non-zero exit. */
    static String host(String... command) {
        Result r = run(List.of(command));
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit + "): " + r.output);
        }
        return r.output;
    }

    /** {@code ip -n NS ...}. */
    String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return host(cmd.toArray(String[]::new));
    }

    /** Runs a command inside the namespace, returning exit code and output. */
    Result exec(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    /** Starts a long-running command inside the namespace; stopped on close. */
    void spawn(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        background.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** A veth pair from this namespace ({@code local}/{@code localAddr}) into {@code peer} (as {@code eth0}/{@code peerAddr}). */
    void vethTo(Netns peer, String local, String localCidr, String peerCidr) {
        ip("link", "add", local, "type", "veth", "peer", "name", "eth0", "netns", peer.name);
        ip("addr", "add", localCidr, "dev", local);
        ip("link", "set", local, "up");
        peer.ip("addr", "add", peerCidr, "dev", "eth0");
        peer.ip("link", "set", "eth0", "up");
    }

    record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    @Override
    public void close() {
        for (Process p : background) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        run(List.of("ip", "netns", "del", name));
    }
}
