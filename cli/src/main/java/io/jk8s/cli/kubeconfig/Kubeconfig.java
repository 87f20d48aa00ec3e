package io.jk8s.cli.kubeconfig;

import io.jk8s.cli.pki.KeyAndCertificate;
import io.jk8s.cli.pki.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * A single-cluster kubeconfig with embedded certificate data, named like k3s': cluster, user and
 * context are all called {@code default}. Written as YAML text: the format is fixed and small,
 * so no YAML library is needed.
 *
 * @param server        API server URL, e.g. {@code https://127.0.0.1:6443}
 * @param ca            the cluster CA the client trusts
 * @param user          the client certificate and key
 */
public record Kubeconfig(String server, X509Certificate ca, KeyAndCertificate user) {

    public static final String NAME = "default";

    public String toYaml() {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                current-context: %1$s
                preferences: {}
                users:
                - name: %1$s
                  user:
                    client-certificate-data: %4$s
                    client-key-data: %5$s
                """.formatted(NAME, server, base64(PemFiles.certificatePem(ca)),
                base64(PemFiles.certificatePem(user.certificate())), base64(keyPem()));
    }

    /** Writes the file readable only by its owner: it holds an admin key. */
    public void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, toYaml());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String keyPem() {
        return "EC".equals(user.privateKey().getAlgorithm())
                ? PemFiles.ecPrivateKeySec1Pem(user) : PemFiles.privateKeyPem(user.privateKey());
    }

    private static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
