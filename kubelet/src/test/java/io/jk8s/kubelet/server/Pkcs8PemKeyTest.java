package io.jk8s.kubelet.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs8PemKeyTest {

    @TempDir
    Path dir;

    @Test
    void readsEcAndRsaKeysWithTheJdk() throws Exception {
        for (String algorithm : new String[]{"EC", "RSA"}) {
            PrivateKey key = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();
            Path pem = write(algorithm + ".key", "PRIVATE KEY", key.getEncoded());

            assertThat(Pkcs8PemKey.read(pem)).as(algorithm).hasValueSatisfying(read -> {
                assertThat(read.getAlgorithm()).isEqualTo(algorithm);
                assertThat(read.getEncoded()).isEqualTo(key.getEncoded());
            });
        }
    }

    @Test
    void otherPemFormsAreLeftToNetty() throws Exception {
        Path sec1 = write("ec.key", "EC PRIVATE KEY", new byte[]{0x30, 0x00});

        assertThat(Pkcs8PemKey.read(sec1)).isEmpty();
    }

    @Test
    void aBlockNoKeyFactoryAcceptsIsAnError() throws Exception {
        Path garbage = write("bad.key", "PRIVATE KEY", new byte[]{0x30, 0x03, 0x02, 0x01, 0x00});

        assertThatThrownBy(() -> Pkcs8PemKey.read(garbage)).hasMessageContaining("bad.key");
    }

    private Path write(String name, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
