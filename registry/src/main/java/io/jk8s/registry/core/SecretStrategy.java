package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Secrets: type Opaque by default, base64 data under valid keys, the keys each built-in type requires,
 * immutable type, and the {@code immutable} flag. {@code stringData} is folded into {@code data} on write.
 */
public final class SecretStrategy extends BaseStrategy {

    static final int MAX_SIZE = 1024 * 1024;

    public SecretStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    /** Upstream converts write-only {@code stringData} into base64 {@code data}, stringData winning. */
    @Override
    public void applyDefaults(ObjectNode obj) {
        Json.defaultStr(obj, "type", "Opaque");
        Map<String, String> stringData = Json.stringMap(obj.get("stringData"));
        if (!stringData.isEmpty()) {
            ObjectNode data = Json.obj(obj, "data");
            stringData.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        }
        obj.remove("stringData");
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        ConfigDataRules.validateKeys(obj, errs, "data");
        long size = 0;
        for (Map.Entry<String, String> e : Json.stringMap(obj.get("data")).entrySet()) {
            try {
                size += Base64.getDecoder().decode(e.getValue()).length;
            } catch (IllegalArgumentException ex) {
                errs.invalid("data[" + e.getKey() + "]", "<secret contents redacted>", "illegal base64 data");
            }
        }
        if (size > MAX_SIZE) {
            errs.tooLong("data", "must have at most " + MAX_SIZE + " bytes");
        }
        JsonNode data = obj.path("data");
        switch (Json.text(obj, "type")) {
            case "kubernetes.io/service-account-token" -> {
                if (Json.text(obj, "metadata", "annotations", "kubernetes.io/service-account.name").isEmpty()) {
                    errs.required("metadata.annotations[kubernetes.io/service-account.name]");
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(data, ".dockercfg", errs);
            case "kubernetes.io/dockerconfigjson" -> requireKey(data, ".dockerconfigjson", errs);
            case "kubernetes.io/basic-auth" -> {
                if (!data.has("username") && !data.has("password")) {
                    errs.required("data[username]");
                    errs.required("data[password]");
                }
            }
            case "kubernetes.io/ssh-auth" -> requireKey(data, "ssh-privatekey", errs);
            case "kubernetes.io/tls" -> {
                requireKey(data, "tls.key", errs);
                requireKey(data, "tls.crt", errs);
            }
            default -> { }
        }
    }

    private static void requireKey(JsonNode data, String key, Errors errs) {
        if (!data.has(key)) {
            errs.required("data[" + key + "]");
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        errs.immutable("type", Json.text(obj, "type"), Json.text(old, "type"));
        ConfigDataRules.validateImmutable(obj, old, errs, "data");
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        f.put("type", Json.text(obj, "type"));
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(), Columns.str("Type", "The type of the secret"),
                Columns.integer("Data", "The number of entries in the secret"), Columns.age());
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return List.of(Rows.name(obj), Json.text(obj, "type"), (long) Json.size(obj.get("data")), Rows.age(obj, now));
    }
}
