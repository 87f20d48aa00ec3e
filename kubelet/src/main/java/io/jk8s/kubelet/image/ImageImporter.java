package io.jk8s.kubelet.image;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads locally built images into containerd's {@code k8s.io} namespace (the one its CRI
 * plugin serves) with {@code ctr images import}, and checks through CRI that the runtime now
 * knows them. Images already present with the same id are left alone, so agent restarts are
 * cheap.
 */
public final class ImageImporter {

    private static final Logger log = LoggerFactory.getLogger(ImageImporter.class);

    private final Path ctr;
    private final Path socket;
    private final ContainerRuntime cri;

    public ImageImporter(Path ctr, Path socket, ContainerRuntime cri) {
        this.ctr = ctr;
        this.socket = socket;
        this.cri = cri;
    }

    /** Imports {@code image} unless CRI already reports it with the same id; returns its CRI status. */
    public Image ensureImported(BuiltImage image) {
        Image present = cri.imageStatus(image.name());
        if (present.getId().equals(image.imageId())) {
            return present;
        }
        runCtrImport(image);
        Image imported = cri.imageStatus(image.name());
        if (!imported.getId().equals(image.imageId())) {
            throw new IllegalStateException("after import, CRI reports " + image.name() + " as '"
                    + imported.getId() + "', expected " + image.imageId());
        }
        log.info("imported {} ({})", image.name(), image.imageId());
        return imported;
    }

    /**
     * Imports every image of an OCI or docker archive ({@code docker save}, {@code skopeo copy
     * oci-archive:}) into the {@code k8s.io} namespace; returns the names ctr reported unpacking.
     * Needs no CRI connection, so it works against a node's containerd from another process.
     */
    public static List<String> importArchive(Path ctr, Path socket, Path archive) {
        String output = run(List.of(ctr.toString(), "--address", socket.toString(), "--namespace", "k8s.io",
                "images", "import", archive.toString()), archive.toString());
        // ctr prints "unpacking docker.io/library/x:1 (sha256:...)...done" per image.
        return output.lines().map(String::strip).filter(l -> l.startsWith("unpacking "))
                .map(l -> l.substring("unpacking ".length()).split(" ", 2)[0]).toList();
    }

    private void runCtrImport(BuiltImage image) {
        run(List.of(ctr.toString(), "--address", socket.toString(), "--namespace", "k8s.io",
                "images", "import", image.archive().toString()), image.name());
    }

    /** Runs a ctr import; returns its output. {@code what} names the image or archive in errors. */
    private static String run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ctr import of " + what + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ctr import of " + what + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted importing " + what, e);
        }
    }
}
