package io.jk8s.kubelet.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Checks the archives with the system's tar, so the format is judged by a real reader. */
class ImageBuilderTest {

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void busyboxImageHasAppletLinksAndUserFiles() throws Exception {
        assumeThat(Files.isExecutable(BUSYBOX)).as("needs busybox-static").isTrue();
        BuiltImage image = new ImageBuilder(dir.resolve("cache"), BUSYBOX, Optional.empty()).busybox();

        Path layout = unpack(image.archive());
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifestDescriptor = index.get("manifests").get(0);
        assertThat(manifestDescriptor.get("annotations").get("io.containerd.image.name").asText())
                .isEqualTo("docker.io/library/busybox:1.35");
        Path manifestFile = blob(layout, manifestDescriptor.get("digest").asText());
        assertThat(OciImageArchive.sha256(Files.readAllBytes(manifestFile)))
                .isEqualTo(manifestDescriptor.get("digest").asText());
        assertThat(Files.size(manifestFile)).isEqualTo(manifestDescriptor.get("size").asLong());

        JsonNode manifest = JSON.readTree(manifestFile.toFile());
        assertThat(manifest.get("config").get("digest").asText()).isEqualTo(image.imageId());
        JsonNode config = JSON.readTree(blob(layout, image.imageId()).toFile());
        assertThat(config.get("config").get("Cmd").get(0).asText()).isEqualTo("sh");

        Path layer = blob(layout, manifest.get("layers").get(0).get("digest").asText());
        String listing = run("tar", "-tzvf", layer.toString());
        assertThat(listing)
                .contains("bin/sh -> /bin/busybox")
                .contains("bin/httpd -> /bin/busybox")
                .containsPattern("wget -> /bin/busybox")
                .contains("etc/passwd")
                .contains("etc/group")
                .containsPattern("drwxrwxrwt .* tmp/")
                .containsPattern("drwx------ .* root/");
        String diffId = config.get("rootfs").get("diff_ids").get(0).asText();
        Path uncompressed = dir.resolve("layer.tar");
        Files.write(uncompressed, new java.util.zip.GZIPInputStream(Files.newInputStream(layer)).readAllBytes());
        assertThat(OciImageArchive.sha256(Files.readAllBytes(uncompressed))).isEqualTo(diffId);
    }

    @Test
    void reusesCachedArchiveWhenInputsAreUnchanged() throws Exception {
        assumeThat(Files.isExecutable(BUSYBOX)).as("needs busybox-static").isTrue();
        ImageBuilder builder = new ImageBuilder(dir.resolve("cache"), BUSYBOX, Optional.empty());
        BuiltImage first = builder.pause();
        var written = Files.getLastModifiedTime(first.archive());
        BuiltImage second = new ImageBuilder(dir.resolve("cache"), BUSYBOX, Optional.empty()).pause();
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(second.archive())).isEqualTo(written);
    }

    @Test
    void buildsAreReproducible() {
        assumeThat(Files.isExecutable(BUSYBOX)).as("needs busybox-static").isTrue();
        BuiltImage a = new ImageBuilder(dir.resolve("a"), BUSYBOX, Optional.empty()).busybox();
        BuiltImage b = new ImageBuilder(dir.resolve("b"), BUSYBOX, Optional.empty()).busybox();
        assertThat(a.imageId()).isEqualTo(b.imageId());
    }

    @Test
    void pauseImageRunsACompiledStaticBinaryWhenACompilerExists() throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        assumeThat(Files.isExecutable(gcc)).as("needs gcc").isTrue();
        BuiltImage image = new ImageBuilder(dir.resolve("cache"), BUSYBOX, Optional.of(gcc)).pause();
        Path layout = unpack(image.archive());
        JsonNode config = JSON.readTree(blob(layout, image.imageId()).toFile());
        assertThat(config.get("config").get("Entrypoint").get(0).asText()).isEqualTo("/pause");
        JsonNode manifest = JSON.readTree(blob(layout,
                JSON.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0).get("digest").asText()).toFile());
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        run("tar", "-xzf", blob(layout, manifest.get("layers").get(0).get("digest").asText()).toString(), "-C", rootfs.toString());
        assertThat(run(rootfs.resolve("pause").toString(), "-v")).contains("pause");
    }

    private Path unpack(Path archive) throws Exception {
        Path layout = Files.createDirectories(dir.resolve("layout-" + System.nanoTime()));
        run("tar", "-xf", archive.toString(), "-C", layout.toString());
        assertThat(Files.readString(layout.resolve("oci-layout"))).contains("1.0.0");
        return layout;
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
