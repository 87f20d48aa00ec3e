package io.jk8s.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What containerds run from a test's data directory leave behind when pods could not be deleted
 * through the API (a killed agent, a failed test): shims and their containers, the pods' network
 * namespaces, rootfs mounts, and the containerds themselves. Only processes whose command line names
 * the directory, their descendants and the namespaces those use are touched, so other tests'
 * containerds on this machine are left alone.
 */
final class ContainerdLeftovers {

    private ContainerdLeftovers() {
    }

    static void removeUnder(Path dir) throws IOException {
        String marker = dir.toString();
        List<ProcessHandle> ours = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("containerd") && c.contains(marker)).orElse(false))
                .toList();
        Set<String> podNetns = new LinkedHashSet<>();
        List<ProcessHandle> victims = new ArrayList<>();
        for (ProcessHandle p : ours) {
            if (p.info().command().map(c -> c.contains("shim")).orElse(false)) {
                p.descendants().forEach(child -> {
                    victims.add(child);
                    try {
                        String ns = NetnsMachines.run("ip", "netns", "identify", Long.toString(child.pid())).output().strip();
                        if (!ns.isEmpty() && ns.startsWith("cni-")) podNetns.add(ns);
                    } catch (IOException ignored) {
                        // gone meanwhile
                    }
                });
            }
            victims.add(p);
        }
        // Containers first, then shims and containerd: a shim outliving its container would restart nothing, but tidy order keeps logs readable.
        for (ProcessHandle p : victims) p.destroyForcibly();
        for (ProcessHandle p : victims) p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
        for (String ns : podNetns) NetnsMachines.run("ip", "netns", "del", ns);
        unmountUnder(marker);
    }

    /** Lazily unmounts everything mounted below {@code prefix} (container rootfs, shm), deepest first. */
    private static void unmountUnder(String prefix) throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].startsWith(prefix + "/")) points.add(f[4].replace("\\040", " "));
        }
        for (String point : points.reversed()) NetnsMachines.run("umount", "-l", point);
    }
}
