package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.util.HashSet;
import java.util.Set;

/** Key and immutability rules shared by ConfigMaps and Secrets. */
final class ConfigDataRules {

    static final String IMMUTABLE_DETAIL = "field is immutable when `immutable` is set";

    private ConfigDataRules() {
    }

    /** Validates the keys of each named map; a key may appear in only one of them. */
    static void validateKeys(JsonNode obj, Errors errs, String... maps) {
        Set<String> seen = new HashSet<>();
        for (String map : maps) {
            for (String key : Json.stringMap(obj.get(map)).keySet()) {
                String path = map + "[" + key + "]";
                errs.invalidEach(path, key, NameRules.configMapKey(key));
                if (!seen.add(key)) {
                    errs.duplicate(path, key);
                }
            }
        }
    }

    /** Once {@code immutable: true} is stored, neither the data nor the flag may change. */
    static void validateImmutable(JsonNode obj, JsonNode old, Errors errs, String... maps) {
        if (!Json.bool(old, "immutable")) {
            return;
        }
        if (!Json.bool(obj, "immutable")) {
            errs.forbidden("immutable", IMMUTABLE_DETAIL);
        }
        for (String map : maps) {
            if (!Json.stringMap(obj.get(map)).equals(Json.stringMap(old.get(map)))) {
                errs.forbidden(map, IMMUTABLE_DETAIL);
            }
        }
    }
}
