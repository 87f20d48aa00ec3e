package io.jk8s.cli.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterPkiTest {

    private static final SubjectAltNames SANS =
            HostNames.forApiServer("10.96.0.1", List.of("api.example.test", "192.0.2.10"));

    @TempDir
    Path dir;

    @Test
    void everyCertificateVerifiesAgainstTheCa() throws Exception {
        ClusterPki.Material m = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS);

        X509Certificate ca = m.ca().certificate();
        assertThatCode(() -> ca.verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThatCode(() -> m.serving().certificate().verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThatCode(() -> m.admin().certificate().verify(ca.getPublicKey())).doesNotThrowAnyException();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(m.serving().certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
    }

    @Test
    void servingCertificateCoversLoopbackHostAndInClusterNames() throws Exception {
        X509Certificate serving = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS).serving().certificate();

        SubjectAltNames names = SubjectAltNames.of(serving);
        assertThat(names.dnsNames()).contains("localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "api.example.test");
        assertThat(names.ipAddresses()).contains("127.0.0.1", "::1", "10.96.0.1", "192.0.2.10");
        HostNames.hostName().ifPresent(host -> assertThat(names.dnsNames()).contains(host));
        assertThat(names.ipAddresses()).containsAll(
                HostNames.interfaceAddresses().stream().map(SubjectAltNames::canonicalIp).toList());
        assertThat(serving.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void adminCertificateNamesTheMastersGroup() throws Exception {
        X509Certificate admin = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS).admin().certificate();

        String subject = admin.getSubjectX500Principal().getName();
        assertThat(subject).contains("CN=kubernetes-admin").contains("O=system:masters");
        assertThat(admin.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    }

    @Test
    void keysMatchTheirCertificatesAndAreOwnerOnly() throws Exception {
        ClusterPki pki = new ClusterPki(dir, Clock.systemUTC());
        pki.ensure(SANS);

        for (Path key : List.of(pki.caKeyFile(), pki.servingKeyFile(), pki.adminKeyFile())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        var signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(PemFiles.readPrivateKey(pki.servingKeyFile()));
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        var verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(PemFiles.readCertificate(pki.servingCertificateFile()));
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void restartReusesEveryCertificate() throws Exception {
        ClusterPki.Material first = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS);
        ClusterPki.Material second = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS);

        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(second.serving().certificate()).isEqualTo(first.serving().certificate());
        assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
    }

    @Test
    void serviceAccountKeyIsRsaOwnerOnlyLoadableByTheApiServerAndKeptOnRestart() throws Exception {
        ClusterPki pki = new ClusterPki(dir, Clock.systemUTC());
        pki.ensure(SANS);
        String key = Files.readString(pki.serviceAccountKeyFile());
        String pub = Files.readString(pki.serviceAccountPublicKeyFile());
        assertThat(Files.getPosixFilePermissions(pki.serviceAccountKeyFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(pub).startsWith("-----BEGIN PUBLIC KEY-----");
        var tokens = io.jk8s.apiserver.auth.serviceaccount.ServiceAccountTokens.fromPrivateKeyFile(pki.serviceAccountKeyFile());
        assertThat(tokens.keyBits()).isEqualTo(2048);
        assertThat(pub).contains(java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(tokens.publicKey().getEncoded()));

        new ClusterPki(dir, Clock.systemUTC()).ensure(SANS);
        assertThat(Files.readString(pki.serviceAccountKeyFile())).as("tokens stay valid across restarts").isEqualTo(key);
    }

    @Test
    void servingCertificateIsReissuedWhenTheHostGainsANameButTheCaStays() throws Exception {
        ClusterPki.Material first = new ClusterPki(dir, Clock.systemUTC()).ensure(SANS);
        SubjectAltNames moved = HostNames.forApiServer("10.96.0.1", List.of("198.51.100.7"));

        ClusterPki.Material second = new ClusterPki(dir, Clock.systemUTC()).ensure(moved);

        assertThat(second.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(second.admin().certificate()).isEqualTo(first.admin().certificate());
        assertThat(second.serving().certificate()).isNotEqualTo(first.serving().certificate());
        assertThat(SubjectAltNames.of(second.serving().certificate()).ipAddresses()).contains("198.51.100.7");
    }

    @Test
    void expiredLeafCertificatesAreReissued() throws Exception {
        Clock now = Clock.systemUTC();
        ClusterPki.Material first = new ClusterPki(dir, now).ensure(SANS);
        Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(400)), ZoneOffset.UTC);

        ClusterPki.Material later = new ClusterPki(dir, nextYear).ensure(SANS);

        assertThat(later.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(later.serving().certificate()).isNotEqualTo(first.serving().certificate());
        assertThat(later.admin().certificate()).isNotEqualTo(first.admin().certificate());
    }

    @Test
    void ipv6AddressesCompareInCanonicalForm() {
        SubjectAltNames a = new SubjectAltNames(Set.of(), Set.of("0:0:0:0:0:0:0:1", "fd00:0:0:0:0:0:0:a"));
        assertThat(a.ipAddresses()).containsExactlyInAnyOrder("::1", "fd00::a");
    }
}
