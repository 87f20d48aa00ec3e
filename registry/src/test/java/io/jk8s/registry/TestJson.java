package io.jk8s.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;
import io.jk8s.registry.support.Json;

import java.util.List;

/** Test helpers: JSON written with single quotes for readability. */
public final class TestJson {

    private TestJson() {
    }

    public static ObjectNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    public static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    public static List<String> messages(List<FieldError> errors) {
        return errors.stream().map(FieldError::message).toList();
    }

    /** Runs the create path the API server runs: prepare, default, validate. */
    public static List<FieldError> create(KindStrategy s, ObjectNode obj) {
        s.prepareForCreate(obj);
        s.applyDefaults(obj);
        return s.validateCreate(obj);
    }

    /** Runs the update path: prepare (keeping status), default, validate against the old object. */
    public static List<FieldError> update(KindStrategy s, ObjectNode obj, ObjectNode old) {
        s.prepareForUpdate(obj, old);
        s.applyDefaults(obj);
        return s.validateUpdate(obj, old);
    }

    public static KindStrategy strategy(String group, String plural) {
        return BuiltinRegistry.create().byResource(group, group.equals("autoscaling") ? "v2" : "v1", plural).orElseThrow();
    }
}
