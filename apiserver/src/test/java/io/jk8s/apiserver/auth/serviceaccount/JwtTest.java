package io.jk8s.apiserver.auth.serviceaccount;

import io.jk8s.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class JwtTest {

    static KeyPair keys;
    static KeyPair otherKeys;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        otherKeys = g.generateKeyPair();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signedClaimsVerifyWithTheKeyAndCarryItsId() {
        String token = Jwt.sign(Json.object().put("sub", "x"), (RSAPrivateKey) keys.getPrivate(), "kid-1");
        assertThat(Jwt.verify(token, (RSAPublicKey) keys.getPublic())).hasValueSatisfying(c -> assertThat(c.path("sub").asText()).isEqualTo("x"));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).isEqualTo("{\"alg\":\"RS256\",\"kid\":\"kid-1\"}");
        assertThat(Jwt.verify(token, (RSAPublicKey) otherKeys.getPublic())).isEmpty();
    }

    @Test
    void keyIdIsTheBase64UrlSha256OfThePublicKey() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
        assertThat(Jwt.keyId((RSAPublicKey) keys.getPublic())).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
    }

    @Test
    void anAlgorithmOtherThanRs256IsRefusedEvenWithAValidSignature() {
        String token = Jwt.sign(Json.object().put("sub", "x"), (RSAPrivateKey) keys.getPrivate(), "k");
        String[] p = token.split("\\.");
        assertThat(Jwt.verify(b64("{\"alg\":\"none\"}") + "." + p[1] + "." + p[2], (RSAPublicKey) keys.getPublic())).isEmpty();
        assertThat(Jwt.verify(b64("{\"alg\":\"HS256\"}") + "." + p[1] + "." + p[2], (RSAPublicKey) keys.getPublic())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a..c", ".b.c", "a.b.", "a.b.c.d", "!!!.###.$$$", "e30.e30.AAAA"})
    void malformedTokensAreRefusedWithoutExceptions(String token) {
        assertThat(Jwt.verify(token, (RSAPublicKey) keys.getPublic())).isEmpty();
    }
}
