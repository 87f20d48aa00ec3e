package io.jk8s.apiserver.http;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Builds the server's TLS context from PEM files (PKCS#1, PKCS#8 or EC keys). */
public final class TlsContexts {

    private TlsContexts() {}

    public static SslContext server(Path certFile, Path keyFile, List<X509Certificate> clientCas) throws IOException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .protocols("TLSv1.3", "TLSv1.2");
        if (!clientCas.isEmpty()) {
            b.clientAuth(ClientAuth.OPTIONAL).trustManager(new AcceptAnyClientTrustManager(clientCas));
        }
        return b.build();
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
