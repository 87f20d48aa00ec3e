package io.jk8s.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.UserInfo;

/**
 * A CertificateSigningRequest records who asked for it ({@code spec.username}, {@code spec.groups}):
 * the API server sets them from the authenticated user on create, whatever the client sent, so that
 * approvers can trust them (upstream's CSR {@code PrepareForCreate}).
 */
final class CsrRequestor {

    private CsrRequestor() {
    }

    static boolean applies(ResourceType t) {
        return t.group().equals("certificates.k8s.io") && t.kind().equals("CertificateSigningRequest");
    }

    static void stamp(ObjectNode csr, UserInfo user) {
        if (user == null) return;
        ObjectNode spec = csr.has("spec") && csr.get("spec").isObject() ? (ObjectNode) csr.get("spec") : csr.putObject("spec");
        spec.remove("uid");
        spec.remove("extra");
        spec.put("username", user.name());
        ArrayNode groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
    }
}
