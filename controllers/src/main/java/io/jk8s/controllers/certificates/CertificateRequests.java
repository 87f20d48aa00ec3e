package io.jk8s.controllers.certificates;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reading a CSR's {@code spec.request}: base64 (JSON bytes) of a PEM {@code CERTIFICATE REQUEST}. */
final class CertificateRequests {

    private CertificateRequests() {
    }

    /** @throws IllegalArgumentException when it is not one PEM-encoded PKCS#10 request with a valid signature */
    static PKCS10CertificationRequest parse(String specRequest) {
        if (specRequest == null || specRequest.isEmpty()) throw new IllegalArgumentException("spec.request is empty");
        String pem;
        try {
            pem = new String(Base64.getDecoder().decode(specRequest), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.request is not base64");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            if (!(o instanceof PKCS10CertificationRequest req)) {
                throw new IllegalArgumentException("spec.request is not a PEM CERTIFICATE REQUEST");
            }
            if (!req.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(req.getSubjectPublicKeyInfo()))) {
                throw new IllegalArgumentException("the request's signature does not verify");
            }
            return req;
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            throw new IllegalArgumentException("unreadable certificate request: " + e.getMessage());
        }
    }

    static List<String> values(PKCS10CertificationRequest req, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : req.getSubject().getRDNs(type)) {
            out.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return out;
    }

    static List<String> commonNames(PKCS10CertificationRequest req) {
        return values(req, BCStyle.CN);
    }

    static List<String> organizations(PKCS10CertificationRequest req) {
        return values(req, BCStyle.O);
    }

    /** The requested extensions (subjectAltName ...), null when none. */
    static Extensions requestedExtensions(PKCS10CertificationRequest req) {
        var attrs = req.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (attrs.length == 0) return null;
        return Extensions.getInstance(attrs[0].getAttrValues().getObjectAt(0));
    }

    /** The requested subject alternative names, null when none. */
    static GeneralNames subjectAltNames(PKCS10CertificationRequest req) {
        Extensions ext = requestedExtensions(req);
        return ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
    }
}
