package io.jk8s.netty;

import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SingleKeyManagerTest {

    @Test
    void offersItsKeyForItsAlgorithmInTls12AndTls13Spellings() throws Exception {
        PrivateKey ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        SingleKeyManager keys = new SingleKeyManager(ec, List.of());

        String alias = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        assertThat(keys.chooseEngineServerAlias("EC_EC", null, null)).isEqualTo(alias);
        assertThat(keys.getPrivateKey(alias)).isSameAs(ec);
        assertThat(keys.getCertificateChain(alias)).isEmpty();

        assertThat(keys.chooseEngineServerAlias("RSA", null, null)).as("another algorithm").isNull();
        assertThat(keys.chooseEngineServerAlias("ECDH", null, null)).as("only the algorithm or algorithm_...").isNull();
        assertThat(keys.chooseEngineClientAlias(new String[]{"RSA", "EC"}, null, null)).isEqualTo(alias);
        assertThat(keys.chooseEngineClientAlias(new String[]{"RSA"}, null, null)).isNull();
        assertThat(keys.getPrivateKey("other")).isNull();
    }
}
