package io.jk8s.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.registry.support.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Upstream's {@code ValidateObjectMeta}: name/generateName, namespace presence, labels, annotations. */
public final class MetaValidator {

    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private MetaValidator() {
    }

    /**
     * @param nameRule   the kind's name format (see {@link NameRules})
     * @param namespaced whether the kind lives in a namespace
     */
    public static void validate(JsonNode meta, Function<String, List<String>> nameRule, boolean namespaced, Errors errs) {
        String name = Json.str(meta, "name");
        String generateName = Json.str(meta, "generateName");
        if (name == null || name.isEmpty()) {
            if (generateName == null || generateName.isEmpty()) {
                errs.required("metadata.name", "name or generateName is required");
            }
        } else {
            errs.invalidEach("metadata.name", name, nameRule.apply(name));
        }
        if (generateName != null && !generateName.isEmpty() && (name == null || name.isEmpty())) {
            // upstream checks generateName without its trailing random-suffix position
            String prefix = generateName.endsWith("-") || generateName.endsWith(".")
                    ? generateName.substring(0, generateName.length() - 1) : generateName;
            if (!prefix.isEmpty()) {
                errs.invalidEach("metadata.generateName", generateName, nameRule.apply(prefix));
            }
        }
        String ns = Json.str(meta, "namespace");
        if (namespaced) {
            if (ns == null || ns.isEmpty()) {
                errs.required("metadata.namespace");
            } else {
                errs.invalidEach("metadata.namespace", ns, NameRules.dns1123Label(ns));
            }
        } else if (ns != null && !ns.isEmpty()) {
            errs.forbidden("metadata.namespace", "not allowed on this type");
        }
        validateLabels(Json.at(meta, "labels"), "metadata.labels", errs);
        validateAnnotations(Json.at(meta, "annotations"), "metadata.annotations", errs);
    }

    /** Keys must be qualified names and values valid label values. */
    public static void validateLabels(JsonNode labels, String field, Errors errs) {
        for (Map.Entry<String, String> e : Json.stringMap(labels).entrySet()) {
            errs.invalidEach(field, e.getKey(), NameRules.qualifiedName(e.getKey()));
            errs.invalidEach(field, e.getValue(), NameRules.labelValue(e.getValue()));
        }
    }

    public static void validateAnnotations(JsonNode annotations, String field, Errors errs) {
        long total = 0;
        for (Map.Entry<String, String> e : Json.stringMap(annotations).entrySet()) {
            errs.invalidEach(field, e.getKey(), NameRules.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.tooLong(field, "may not be more than " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes");
        }
    }
}
