package io.jk8s.controllers.certificates;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import javax.naming.ldap.LdapName;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void issuesClientCertificateThatChainsToTheCa() throws Exception {
        KeyPair caKey = TestCsrs.ecKey();
        X509Certificate ca = TestCsrs.ca(caKey, NOW);
        KeyPair nodeKey = TestCsrs.ecKey();
        PKCS10CertificationRequest req = CertificateRequests.parse(TestCsrs.request(nodeKey, "O=system:nodes,CN=system:node:worker-1"));
        CertificateSigner signer = new CertificateSigner(ca, caKey.getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC));

        X509Certificate cert = signer.sign(req, List.of("digital signature", "client auth"), Duration.ofHours(1));

        var params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                .generateCertPath(List.of(cert)), params);
        assertThat(cert.getPublicKey()).isEqualTo(nodeKey.getPublic());
        var rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
        assertThat(rdns).extracting(r -> r.getType() + "=" + r.getValue())
                .containsExactlyInAnyOrder("CN=system:node:worker-1", "O=system:nodes");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[2]).as("keyEncipherment").isFalse();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
    }

    @Test
    void neverOutlivesTheCa() throws Exception {
        KeyPair caKey = TestCsrs.ecKey();
        X509Certificate ca = TestCsrs.ca(caKey, NOW);
        PKCS10CertificationRequest req = CertificateRequests.parse(TestCsrs.request(TestCsrs.ecKey(), "CN=alice"));
        X509Certificate cert = new CertificateSigner(ca, caKey.getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC))
                .sign(req, List.of("client auth"), Duration.ofDays(100_000));
        assertThat(cert.getNotAfter()).isEqualTo(ca.getNotAfter());
    }

    @Test
    void rejectsUnknownUsage() throws Exception {
        KeyPair caKey = TestCsrs.ecKey();
        X509Certificate ca = TestCsrs.ca(caKey, NOW);
        PKCS10CertificationRequest req = CertificateRequests.parse(TestCsrs.request(TestCsrs.ecKey(), "CN=alice"));
        assertThatThrownBy(() -> new CertificateSigner(ca, caKey.getPrivate(), Clock.fixed(NOW, ZoneOffset.UTC))
                .sign(req, List.of("telepathy"), null)).hasMessageContaining("telepathy");
    }
}
