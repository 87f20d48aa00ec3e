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

    private void runCtrImport(BuiltImage image) {
        List<String> command = List.of(ctr.toString(), "--address", socket.toString(), "--namespace", "k8s.io",
                "images", "import", image.archive().toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ctr import of " + image.name() + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ctr import of " + image.name() + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + ctr, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted importing " + image.name(), e);
        }
    }
}
