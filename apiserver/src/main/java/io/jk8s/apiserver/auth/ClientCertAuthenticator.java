package io.jk8s.apiserver.auth;

import io.jk8s.apiserver.http.ApiRequest;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Client certificates signed by the client CA: user = subject CN, groups = subject O values.
 *
 * <p>TLS accepts any client certificate so that a bad one gets a 401 Status (as upstream) rather
 * than a failed handshake; the signature and validity are checked here.
 */
public final class ClientCertAuthenticator implements Authenticator {

    private final List<X509Certificate> trustedCas;

    public ClientCertAuthenticator(List<X509Certificate> trustedCas) {
        this.trustedCas = List.copyOf(trustedCas);
    }

    @Override
    public AuthResult authenticate(ApiRequest request) {
        if (request.peerCerts().isEmpty()) {
            return AuthResult.NOT_APPLICABLE;
        }
        X509Certificate leaf = request.peerCerts().get(0);
        try {
            leaf.checkValidity();
        } catch (GeneralSecurityException e) {
            return new AuthResult.Rejected("client certificate expired or not yet valid");
        }
        if (!signedByTrustedCa(leaf)) {
            return new AuthResult.Rejected("client certificate is not signed by the client CA");
        }
        return subjectToUser(leaf);
    }

    private boolean signedByTrustedCa(X509Certificate leaf) {
        for (X509Certificate ca : trustedCas) {
            if (!ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                continue;
            }
            try {
                leaf.verify(ca.getPublicKey());
                return true;
            } catch (GeneralSecurityException e) {
                // try the next CA of the bundle
            }
        }
        return false;
    }

    static AuthResult subjectToUser(X509Certificate cert) {
        String cn = null;
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) cn = rdn.getValue().toString();
                if (rdn.getType().equalsIgnoreCase("O")) groups.add(rdn.getValue().toString());
            }
        } catch (InvalidNameException e) {
            return new AuthResult.Rejected("unreadable certificate subject");
        }
        if (cn == null || cn.isEmpty()) {
            return new AuthResult.Rejected("client certificate has no common name");
        }
        groups.add(UserInfo.AUTHENTICATED);
        return new AuthResult.Authenticated(new UserInfo(cn, groups));
    }
}
