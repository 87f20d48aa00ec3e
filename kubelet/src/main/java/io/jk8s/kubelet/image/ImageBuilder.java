package io.jk8s.kubelet.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the images every node needs without a registry: busybox (from the host's static
 * busybox, with its applet links) and the pod sandbox ("pause") image. Archives are cached in
 * {@code cacheDir} and rebuilt only when their inputs change.
 */
public final class ImageBuilder {

    public static final String BUSYBOX = "docker.io/library/busybox:1.35";
    public static final String PAUSE = "registry.k8s.io/pause:3.10";

    private static final Logger log = LoggerFactory.getLogger(ImageBuilder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bump when the image layout changes so that cached archives are rebuilt. */
    private static final String FORMAT = "jk8s-images-v1";
    private static final List<String> PATH_ENV =
            List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

    private final Path cacheDir;
    private final Path busybox;
    private final Optional<Path> compiler;

    /**
     * @param cacheDir  where archives are kept, e.g. {@code <data-dir>/agent/images}
     * @param busybox   a statically linked busybox binary (Debian: busybox-static's /bin/busybox)
     * @param compiler  a C compiler able to link statically, for the pause binary; when absent
     *                  the pause image runs a busybox shell loop instead
     */
    public ImageBuilder(Path cacheDir, Path busybox, Optional<Path> compiler) {
        this.cacheDir = cacheDir;
        this.busybox = busybox;
        this.compiler = compiler;
    }

    /** Uses {@code /bin/busybox} and the first of gcc/cc found in the usual places. */
    public static ImageBuilder withHostTools(Path cacheDir) {
        Optional<Path> cc = Stream.of("/usr/bin/gcc", "/usr/local/bin/gcc", "/usr/bin/cc")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        return new ImageBuilder(cacheDir, Path.of("/bin/busybox"), cc);
    }

    /** Builds (or reuses) both images. */
    public List<BuiltImage> buildAll() {
        return List.of(pause(), busybox());
    }

    public BuiltImage busybox() {
        byte[] binary = read(busybox);
        return cached("busybox-1.35", BUSYBOX, OciImageArchive.sha256(binary), () -> {
            Layer layer = baseFileSystem();
            layer.file("/bin/busybox", 0755, binary);
            for (String applet : applets()) {
                if (!applet.equals("bin/busybox") && !layer.contains(applet)) {
                    layer.symlink(applet, "/bin/busybox");
                }
            }
            return new Recipe(List.of(layer), new OciImageArchive.RunConfig(List.of(), List.of("sh"), PATH_ENV, "/"));
        });
    }

    public BuiltImage pause() {
        byte[] source = resource("pause.c");
        String inputs = compiler.map(c -> "gcc:" + OciImageArchive.sha256(source))
                .orElseGet(() -> "busybox:" + OciImageArchive.sha256(read(busybox)));
        return cached("pause-3.10", PAUSE, inputs, () -> {
            Layer layer = new Layer();
            if (compiler.isPresent()) {
                layer.file("/pause", 0755, compilePause(source));
                return new Recipe(List.of(layer), new OciImageArchive.RunConfig(
                        List.of("/pause"), List.of(), PATH_ENV, "/"));
            }
            // Stand-in: a shell that exits on TERM/INT and otherwise waits forever.
            layer.file("/bin/busybox", 0755, read(busybox));
            layer.symlink("/bin/sh", "/bin/busybox");
            layer.symlink("/bin/sleep", "/bin/busybox");
            return new Recipe(List.of(layer), new OciImageArchive.RunConfig(
                    List.of("/bin/sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"),
                    List.of(), PATH_ENV, "/"));
        });
    }

    private record Recipe(List<Layer> layers, OciImageArchive.RunConfig run) {}

    private interface RecipeSupplier {
        Recipe get() throws IOException;
    }

    /** Stamp stored next to an archive: what it was built from and what it contains. */
    private record Stamp(String format, String inputs, String name, String imageId) {}

    private BuiltImage cached(String fileName, String name, String inputs, RecipeSupplier recipe) {
        Path archive = cacheDir.resolve(fileName + ".oci.tar");
        Path stampFile = cacheDir.resolve(fileName + ".stamp.json");
        try {
            if (Files.exists(archive) && Files.exists(stampFile)) {
                Stamp stamp = JSON.readValue(stampFile.toFile(), Stamp.class);
                if (stamp.format().equals(FORMAT) && stamp.inputs().equals(inputs) && stamp.name().equals(name)) {
                    return new BuiltImage(name, archive, stamp.imageId());
                }
            }
            Recipe r = recipe.get();
            OciImageArchive.Written written = OciImageArchive.write(archive, name, r.layers(), r.run());
            JSON.writeValue(stampFile.toFile(), new Stamp(FORMAT, inputs, name, written.configDigest()));
            log.info("built image {} at {} (id {})", name, archive, written.configDigest());
            return new BuiltImage(name, archive, written.configDigest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build image " + name, e);
        }
    }

    /** The directories and files every Linux image is expected to have. */
    private static Layer baseFileSystem() {
        Layer layer = new Layer();
        for (String dir : List.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/etc", "/home", "/var", "/var/www",
                "/dev", "/proc", "/sys")) {
            layer.directory(dir, 0755);
        }
        layer.directory("/root", 0700);
        layer.directory("/tmp", 01777);
        layer.file("/etc/passwd", 0644, """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/bin/false
                www-data:x:33:33:www-data:/var/www:/bin/false
                nobody:x:65534:65534:nobody:/home:/bin/false
                """.getBytes(StandardCharsets.UTF_8));
        layer.file("/etc/group", 0644, """
                root:x:0:
                daemon:x:1:
                www-data:x:33:
                nogroup:x:65534:
                """.getBytes(StandardCharsets.UTF_8));
        return layer;
    }

    /** Applet paths relative to /, e.g. {@code bin/sh}, {@code usr/bin/wget}. */
    private List<String> applets() {
        List<String> full = run(List.of(busybox.toString(), "--list-full"));
        List<String> names = !full.isEmpty() ? full
                : run(List.of(busybox.toString(), "--list")).stream().map(a -> "bin/" + a).toList();
        Set<String> paths = new LinkedHashSet<>(names);
        // Whatever the list says, the usual shell entry points live in /bin.
        paths.add("bin/sh");
        return new ArrayList<>(paths);
    }

    private static List<String> run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of();
            }
            return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private byte[] compilePause(byte[] source) throws IOException {
        Path work = Files.createTempDirectory("jk8s-pause");
        try {
            Path c = work.resolve("pause.c");
            Path binary = work.resolve("pause");
            Files.write(c, source);
            Process p = new ProcessBuilder(compiler.orElseThrow().toString(), "-static", "-Os", "-s",
                    "-o", binary.toString(), c.toString()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("compiling pause failed: " + output);
            }
            return Files.readAllBytes(binary);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling pause", e);
        } finally {
            try (Stream<Path> files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ImageBuilder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
