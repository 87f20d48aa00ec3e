package io.jk8s.apiserver.http;

import io.jk8s.netty.SingleKeyManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Builds the server's TLS context from PEM files (PKCS#1, PKCS#8 or EC keys). */
public final class TlsContexts {

    private TlsContexts() {}

    /**
     * The API server's TLS context. Built on a plain JDK {@link SSLContext} with an in-memory key manager:
     * Netty's builder converts PEM keys into a password-protected PKCS#12 key store (PBKDF2, twice),
     * which cost 0.6–2.5 s of CPU at every start on this 2-core machine.
     */
    public static SslContext server(Path certFile, Path keyFile, List<X509Certificate> clientCas) throws IOException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[]{keyManager(key, chain)},
                    new TrustManager[]{new AcceptAnyClientTrustManager(clientCas)}, null);
            return new JdkSslContext(ctx, false, null, IdentityCipherSuiteFilter.INSTANCE, null,
                    clientCas.isEmpty() ? ClientAuth.NONE : ClientAuth.OPTIONAL, new String[]{"TLSv1.3", "TLSv1.2"}, false);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS with " + certFile + ": " + e.getMessage(), e);
        }
    }

    /** A key manager that always presents this one key and chain (no key store, no password-based encryption). */
    public static X509ExtendedKeyManager keyManager(PrivateKey key, List<X509Certificate> chain) {
        return new SingleKeyManager(key, chain);
    }

    public static List<X509Certificate> readCertificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            PrivateKeyInfo info = o instanceof PEMKeyPair kp ? kp.getPrivateKeyInfo() : o instanceof PrivateKeyInfo i ? i : null;
            if (info != null) {
                try {
                    return conv.getPrivateKey(info);
                } catch (org.bouncycastle.openssl.PEMException e) {
                    // SEC1 EC keys without curve parameters: the JDK refuses them, BouncyCastle copes
                    return new JcaPEMKeyConverter().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .getPrivateKey(info);
                }
            }
            throw new IOException("no private key in " + pem);
        }
    }

    /**
     * Advertises the client CAs (so clients pick the right certificate) but lets any certificate
     * through the handshake; {@code ClientCertAuthenticator} verifies it and answers 401 if bad.
     */
    private record AcceptAnyClientTrustManager(List<X509Certificate> cas) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("server certificates are not checked here");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return cas.toArray(X509Certificate[]::new);
        }
    }
}
