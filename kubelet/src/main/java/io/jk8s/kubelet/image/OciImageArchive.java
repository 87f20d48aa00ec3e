package io.jk8s.kubelet.image;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a single-platform image as an OCI image layout packed in a tar (what
 * {@code ctr images import} and {@code skopeo copy oci-archive:} read): {@code oci-layout},
 * {@code index.json} naming the image, and content-addressed blobs (gzip layers, config,
 * manifest).
 */
final class OciImageArchive {

    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What runs by default in a container of this image.
     *
     * @param entrypoint image ENTRYPOINT (may be empty)
     * @param cmd        image CMD (may be empty)
     * @param env        environment, {@code KEY=value}
     * @param workingDir working directory
     */
    record RunConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir) {}

    /** The written archive: its path and the manifest digest that identifies the image. */
    record Written(Path archive, String manifestDigest, String configDigest) {}

    private OciImageArchive() {
    }

    /** Writes {@code name} (fully qualified, e.g. {@code docker.io/library/busybox:1.35}) to {@code target}. */
    static Written write(Path target, String name, List<Layer> layers, RunConfig run) {
        try {
            List<Blob> layerBlobs = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (Layer layer : layers) {
                byte[] tar = layer.toTar();
                diffIds.add(sha256(tar));
                layerBlobs.add(new Blob(LAYER_TYPE, gzip(tar)));
            }

            Map<String, Object> containerConfig = new LinkedHashMap<>();
            if (!run.entrypoint().isEmpty()) {
                containerConfig.put("Entrypoint", run.entrypoint());
            }
            if (!run.cmd().isEmpty()) {
                containerConfig.put("Cmd", run.cmd());
            }
            containerConfig.put("Env", run.env());
            containerConfig.put("WorkingDir", run.workingDir());
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("created", "2024-01-01T00:00:00Z");
            config.put("architecture", architecture());
            config.put("os", "linux");
            config.put("config", containerConfig);
            config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
            Blob configBlob = new Blob(CONFIG_TYPE, JSON.writeValueAsBytes(config));

            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("schemaVersion", 2);
            manifest.put("mediaType", MANIFEST_TYPE);
            manifest.put("config", configBlob.descriptor());
            manifest.put("layers", layerBlobs.stream().map(Blob::descriptor).toList());
            Blob manifestBlob = new Blob(MANIFEST_TYPE, JSON.writeValueAsBytes(manifest));

            Map<String, Object> manifestDescriptor = manifestBlob.descriptor();
            manifestDescriptor.put("platform", Map.of("architecture", architecture(), "os", "linux"));
            // containerd names the imported image after io.containerd.image.name;
            // other tools use the OCI ref name (the tag).
            manifestDescriptor.put("annotations", Map.of(
                    "io.containerd.image.name", name,
                    "org.opencontainers.image.ref.name", tagOf(name)));
            Map<String, Object> index = new LinkedHashMap<>();
            index.put("schemaVersion", 2);
            index.put("mediaType", INDEX_TYPE);
            index.put("manifests", List.of(manifestDescriptor));

            Files.createDirectories(target.toAbsolutePath().getParent());
            Path temp = target.resolveSibling(target.getFileName() + ".tmp");
            try (OutputStream file = Files.newOutputStream(temp); TarWriter tar = new TarWriter(file)) {
                tar.file("oci-layout", 0644, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
                tar.file("index.json", 0644, JSON.writeValueAsBytes(index));
                tar.directory("blobs", 0755);
                tar.directory("blobs/sha256", 0755);
                for (Blob blob : concat(layerBlobs, configBlob, manifestBlob)) {
                    tar.file("blobs/sha256/" + blob.digest().substring("sha256:".length()), 0644, blob.content());
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Written(target, manifestBlob.digest(), configBlob.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image archive " + target, e);
        }
    }

    private record Blob(String mediaType, byte[] content) {
        String digest() {
            return sha256(content);
        }

        Map<String, Object> descriptor() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mediaType", mediaType);
            d.put("digest", digest());
            d.put("size", content.length);
            return d;
        }
    }

    private static List<Blob> concat(List<Blob> layers, Blob config, Blob manifest) {
        List<Blob> all = new ArrayList<>(layers);
        all.add(config);
        all.add(manifest);
        return all;
    }

    static String tagOf(String name) {
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(colon + 1) : "latest";
    }

    static String architecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(content);
        }
        return bytes.toByteArray();
    }
}
