package io.jk8s.kubelet.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the node reports about its machine: CPUs, memory, disk under the data dir, kernel and
 * OS identity. Read from /proc and /etc on Linux; a record so tests can supply their own.
 */
public record HostFacts(int cpus, long memoryBytes, long ephemeralStorageBytes, String kernelVersion,
                        String osImage, String machineId, String bootId, String architecture) {

    /** Reads the facts of this machine; {@code dataDir} is where pods' writable data lives. */
    public static HostFacts read(Path dataDir) {
        return new HostFacts(
                Runtime.getRuntime().availableProcessors(),
                memTotalBytes(),
                diskBytes(dataDir),
                firstLine(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version")),
                readOsImage(),
                firstLine(Path.of("/etc/machine-id")).orElse(""),
                firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse(""),
                switch (System.getProperty("os.arch")) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64" -> "arm64";
                    default -> System.getProperty("os.arch");
                });
    }

    private static long memTotalBytes() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                    .findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long diskBytes(Path dataDir) {
        try {
            Path existing = dataDir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing == null ? Path.of("/") : existing);
            return store.getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readOsImage() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
            return lines.stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
                    .findFirst().orElse("Linux");
        } catch (IOException e) {
            return "Linux";
        }
    }

    private static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
