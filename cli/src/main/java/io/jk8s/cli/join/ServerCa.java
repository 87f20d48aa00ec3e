package io.jk8s.cli.join;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Discovery of the cluster CA before any credential is sent (kubeadm's token discovery, k3s'
 * {@code /cacerts}): the CA is fetched from the server's public {@code /cacerts} over a connection that
 * is deliberately not verified — nothing secret travels on it — and is accepted only if its
 * {@link CaHash} equals the hash in the join token. Only then does the agent talk to the server
 * (with TLS verified against that CA) and send the token.
 */
public final class ServerCa {

    private static final int TIMEOUT_MS = 10_000;

    private ServerCa() {
    }

    /** Thrown when the server's CA is not the one the token was made for: the token was not sent. */
    public static final class UntrustedServerException extends IOException {
        UntrustedServerException(String message) {
            super(message);
        }
    }

    /** The server's CA, verified against {@code expectedHash}. */
    public static X509Certificate fetchVerified(String server, String expectedHash) throws IOException {
        X509Certificate ca = fetch(server);
        String actual = CaHash.of(ca);
        if (!actual.equals(expectedHash)) {
            throw new UntrustedServerException("the CA of " + server + " has hash sha256:" + actual + " but the token expects sha256:"
                    + expectedHash + "; refusing to send the token (wrong server, or a token from another cluster)");
        }
        return ca;
    }

    static X509Certificate fetch(String server) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) URI.create(server.replaceAll("/+$", "") + "/cacerts").toURL().openConnection();
        try {
            SSLContext trustAnything = SSLContext.getInstance("TLS");
            trustAnything.init(null, new TrustManager[] {new UnverifiedTrust()}, new SecureRandom());
            c.setSSLSocketFactory(trustAnything.getSocketFactory());
            c.setHostnameVerifier((host, session) -> true);
            c.setConnectTimeout(TIMEOUT_MS);
            c.setReadTimeout(TIMEOUT_MS);
            if (c.getResponseCode() != 200) {
                throw new IOException("GET " + server + "/cacerts answered " + c.getResponseCode());
            }
            byte[] pem;
            try (InputStream in = c.getInputStream()) {
                pem = in.readNBytes(1 << 20);
            }
            // The first certificate of the bundle is the cluster CA.
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA from " + server + "/cacerts: " + e.getMessage(), e);
        } finally {
            c.disconnect();
        }
    }

    /** Accepts any server certificate: used only to download the public CA, which is then pinned by hash. */
    private static final class UnverifiedTrust implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
