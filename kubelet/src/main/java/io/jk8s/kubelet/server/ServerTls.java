package io.jk8s.kubelet.server;

import io.jk8s.netty.SingleKeyManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * TLS for the kubelet server. The handshake asks for a client certificate and advertises the
 * client CA but lets any certificate (or none) through, so that an unauthenticated client gets
 * an HTTP 401 it can read instead of a handshake failure; {@link #authenticated} then verifies
 * the chain against the client CA (PKIX, with the clientAuth key usage).
 */
final class ServerTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final X509TrustManager clientVerifier;

    ServerTls(Path certPem, Path keyPem, Path clientCaPem) throws IOException {
        List<X509Certificate> cas = readCertificates(clientCaPem);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            this.clientVerifier = (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IOException("client CA " + clientCaPem + ": " + e.getMessage(), e);
        }
        Optional<PrivateKey> key = Pkcs8PemKey.read(keyPem);
        this.context = key.isPresent() ? jdkContext(key.get(), readCertificates(certPem), cas)
                : SslContextBuilder.forServer(certPem.toFile(), keyPem.toFile()) // other PEM key forms: Netty's reader
                        .protocols(PROTOCOLS)
                        .clientAuth(ClientAuth.OPTIONAL)
                        .trustManager(new AdvertiseOnly(cas))
                        .build();
    }

    /**
     * A JDK SSLContext wrapped as is. Netty's builder would make a JdkSslServerContext, whose class initialiser parses
     * a PEM key of its own to test a trust-manager feature — with BouncyCastle on the class path that loads and
     * registers the BouncyCastle provider (~650 classes and a table of ~2,000 services) in every kubelet.
     */
    private static SslContext jdkContext(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> cas) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[]{new SingleKeyManager(key, chain)},
                    new TrustManager[]{new AdvertiseOnly(cas)}, null);
            return new JdkSslContext(ctx, false, null, IdentityCipherSuiteFilter.INSTANCE, null, ClientAuth.OPTIONAL,
                    PROTOCOLS, false);
        } catch (GeneralSecurityException e) {
            throw new IOException("kubelet TLS: " + e.getMessage(), e);
        }
    }

    SslContext context() {
        return context;
    }

    /** True if the peer presented a certificate chain that the client CA signed. */
    boolean authenticated(SSLSession session) {
        try {
            Certificate[] peer = session.getPeerCertificates();
            X509Certificate[] chain = new X509Certificate[peer.length];
            for (int i = 0; i < peer.length; i++) {
                chain[i] = (X509Certificate) peer[i];
            }
            String keyType = chain[0].getPublicKey().getAlgorithm();
            clientVerifier.checkClientTrusted(chain, keyType.equals("EC") ? "EC_EC" : keyType);
            return true;
        } catch (SSLPeerUnverifiedException | CertificateException | ClassCastException e) {
            return false;
        }
    }

    static List<X509Certificate> readCertificates(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    /** Names the client CA in the CertificateRequest; verification happens after the handshake. */
    private record AdvertiseOnly(List<X509Certificate> cas) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return cas.toArray(X509Certificate[]::new);
        }
    }
}
