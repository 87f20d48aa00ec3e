package io.jk8s.cli.join;

import io.jk8s.cli.server.GoDurationConverter;

import io.fabric8.kubernetes.api.model.Secret;
import io.jk8s.cli.pki.ClusterPki;
import io.jk8s.cli.pki.HostNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JoinTokenTest {

    private static final String HASH = "48ee5733b34029a22f2369253eb0ba158aaea1eb2d5ab8bd35f5cbb80ba2da6e";

    @Test
    void parsesWhatItPrints() {
        JoinToken t = JoinToken.parse("K10" + HASH + "::abcdef.0123456789abcdef");
        assertThat(t.caHash()).isEqualTo(HASH);
        assertThat(t.token()).isEqualTo(new BootstrapToken("abcdef", "0123456789abcdef"));
        assertThat(t.token().secretName()).isEqualTo("bootstrap-token-abcdef");
        assertThat(t).hasToString("K10" + HASH + "::abcdef.0123456789abcdef");
    }

    @Test
    void rejectsMalformedTokens() {
        for (String bad : new String[] {"abcdef.0123456789abcdef", "K10" + HASH.substring(1) + "::abcdef.0123456789abcdef",
                "K10" + HASH + "::ABCDEF.0123456789abcdef", "K10" + HASH + "::abcdef.0123456789abcde",
                "K10" + HASH.toUpperCase() + "::abcdef.0123456789abcdef", "K10" + HASH + ":abcdef.0123456789abcdef"}) {
            assertThatThrownBy(() -> JoinToken.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--token");
        }
    }

    @Test
    void generatedTokensHaveTheBootstrapShape() {
        for (int i = 0; i < 50; i++) {
            String t = BootstrapToken.generate().toString();
            assertThat(t).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        }
        assertThat(BootstrapToken.generate()).isNotEqualTo(BootstrapToken.generate());
    }

    @Test
    void caHashIsSha256OfTheSubjectPublicKeyInfo(@TempDir Path dir) throws Exception {
        X509Certificate ca = new ClusterPki(dir, Clock.systemUTC())
                .ensure(HostNames.forApiServer("10.96.0.1", java.util.List.of())).ca().certificate();
        // Independently: the SPKI as BouncyCastle reads it out of the certificate's own DER.
        byte[] spki = new JcaX509CertificateHolder(ca).getSubjectPublicKeyInfo().getEncoded();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
        assertThat(CaHash.of(ca)).isEqualTo(expected).hasSize(64);
        assertThat(CaHash.of(ca)).isNotEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded())));
    }

    @Test
    void secretIsAnUpstreamBootstrapToken() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00.123Z"), ZoneOffset.UTC);
        Secret s = TokenCommand.secret(new BootstrapToken("abcdef", "0123456789abcdef"), Duration.ofHours(24), null, clock);
        assertThat(s.getMetadata().getName()).isEqualTo("bootstrap-token-abcdef");
        assertThat(s.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(s.getType()).isEqualTo("bootstrap.kubernetes.io/token");
        assertThat(decoded(s, "token-id")).isEqualTo("abcdef");
        assertThat(decoded(s, "token-secret")).isEqualTo("0123456789abcdef");
        assertThat(decoded(s, "expiration")).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(decoded(s, "usage-bootstrap-authentication")).isEqualTo("true");
        assertThat(decoded(s, "auth-extra-groups")).isEqualTo("system:bootstrappers:jk8s:default-node-token");
        assertThat(TokenCommand.secret(new BootstrapToken("abcdef", "0123456789abcdef"), Duration.ZERO, null, clock).getData())
                .doesNotContainKey("expiration");
    }

    @Test
    void durationsAsGoWritesThem() {
        assertThat(GoDurationConverter.parse("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(GoDurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDurationConverter.parse("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"", "24", "h", "1d", "1h 30m", "-1h"}) {
            assertThatThrownBy(() -> GoDurationConverter.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String decoded(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
}
