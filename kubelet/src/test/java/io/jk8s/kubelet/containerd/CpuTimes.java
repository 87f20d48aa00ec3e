package io.jk8s.kubelet.containerd;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent so far by this JVM (API server + kubelet in the benchmark) and by the runtime: the test's
 * containerd and shims (processes whose command line names the data directory) including the children they
 * waited for (runc, CNI plugins). CPU-seconds per pod stay meaningful on a loaded machine, where wall times do not.
 * Shims that already exited (deleted pods) are not counted, so take both readings while the pods run.
 */
record CpuTimes(long jvmMillis, long runtimeMillis) {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    static CpuTimes of(Path dataDir) {
        long jvmNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long[] ticks = {0};
        String marker = dataDir.toString();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                if (!cmdline.contains(marker)) {
                    return;
                }
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                // Fields after the command name (which may hold spaces): utime stime cutime cstime are 14-17.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                for (int i = 11; i <= 14; i++) {
                    ticks[0] += Long.parseLong(f[i]);
                }
            } catch (IOException | RuntimeException e) {
                // the process went away meanwhile
            }
        });
        return new CpuTimes(jvmNanos / 1_000_000, ticks[0] * 1000 / TICKS_PER_SECOND);
    }

    CpuTimes minus(CpuTimes earlier) {
        return new CpuTimes(jvmMillis - earlier.jvmMillis, runtimeMillis - earlier.runtimeMillis);
    }

    String perPod(int pods) {
        return "JVM " + jvmMillis / pods + " ms/pod, containerd+shims+runc+CNI " + runtimeMillis / pods + " ms/pod";
    }
}
