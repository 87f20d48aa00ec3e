package io.jk8s.kubelet.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** mount(8)/umount(8) and /proc/self/mountinfo; needs root, as the kubelet has. */
public final class LinuxMounter implements Mounter {

    @Override
    public void mountTmpfs(Path dir, OptionalLong sizeBytes) throws IOException {
        if (mountsBelow(dir).contains(dir)) {
            return;
        }
        String options = "mode=0755" + (sizeBytes.isPresent() ? ",size=" + sizeBytes.getAsLong() : "");
        run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    }

    @Override
    public List<Path> mountsBelow(Path root) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> Path.of(unescape(line.split(" ")[4])))
                .filter(p -> p.startsWith(root))
                .distinct()
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                .toList();
    }

    @Override
    public void unmount(Path mountPoint) throws IOException {
        run("umount", mountPoint.toString());
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
