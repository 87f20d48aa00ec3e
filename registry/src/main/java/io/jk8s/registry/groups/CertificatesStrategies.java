package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.HumanDuration;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.NameRules;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** certificates.k8s.io/v1 CertificateSigningRequests. Requestor identity fields are set by the API server. */
public final class CertificatesStrategies {

    private CertificatesStrategies() {
    }

    public static KindStrategy csr(ResourceType type) {
        return SimpleStrategy.builder(type)
                .names(NameRules.PATH_SEGMENT_NAME)
                .validate((o, errs) -> {
                    JsonNode spec = o.path("spec");
                    if (Json.text(spec, "request").isEmpty()) {
                        errs.required("spec.request");
                    }
                    String signer = Json.text(spec, "signerName");
                    if (signer.isEmpty()) {
                        errs.required("spec.signerName");
                    } else if (!signer.contains("/")) {
                        errs.invalid("spec.signerName", signer, "must be a fully qualified domain and path of the form 'example.com/signer-name'");
                    }
                    if (Json.size(spec.get("usages")) == 0) {
                        errs.required("spec.usages");
                    }
                    Long expiration = Json.longOrNull(spec, "expirationSeconds");
                    if (expiration != null && expiration < 600) {
                        errs.invalid("spec.expirationSeconds", expiration, "may not specify a duration less than 600 seconds (10 minutes)");
                    }
                })
                .onUpdate((o, old, errs) -> {
                    if (!Json.same(o.path("spec"), old.path("spec"))) {
                        errs.forbidden("spec", "field is immutable");
                    }
                })
                .fields((o, f) -> f.put("spec.signerName", Json.text(o, "spec", "signerName")))
                .rawTable(List.of(Columns.name(), Columns.age(),
                                Columns.str("SignerName", "Only requests for this signer name are returned"),
                                Columns.str("Requestor", "Name of the user requesting the certificate"),
                                Columns.str("RequestedDuration", "Requested duration of issued certificate"),
                                Columns.str("Condition", "Condition of the certificate request")),
                        (o, now) -> {
                            Long seconds = Json.longOrNull(o, "spec", "expirationSeconds");
                            return List.of(Rows.name(o), Rows.age(o, now), Json.text(o, "spec", "signerName"),
                                    Json.text(o, "spec", "username"),
                                    seconds == null ? "<none>" : HumanDuration.format(Duration.ofSeconds(seconds)),
                                    condition(o));
                        })
                .build();
    }

    /** "Pending", or the Approved/Denied/Failed conditions, plus "Issued" once a certificate is present. */
    static String condition(ObjectNode csr) {
        List<String> parts = new ArrayList<>();
        for (JsonNode c : Json.objects(Json.at(csr, "status", "conditions"))) {
            String t = Json.text(c, "type");
            if (t.equals("Approved") || t.equals("Denied") || t.equals("Failed")) {
                parts.add(t);
            }
        }
        if (!Json.text(csr, "status", "certificate").isEmpty()) {
            parts.add("Issued");
        }
        return parts.isEmpty() ? "Pending" : String.join(",", parts);
    }
}
