package io.jk8s.registry.core;

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
import java.util.List;
import java.util.Map;

/** ConfigMaps: valid, distinct keys across data and binaryData; at most 1 MiB; immutability. */
public final class ConfigMapStrategy extends BaseStrategy {

    static final int MAX_SIZE = 1024 * 1024;

    public ConfigMapStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        ConfigDataRules.validateKeys(obj, errs, "data", "binaryData");
        long size = 0;
        for (String map : List.of("data", "binaryData")) {
            for (Map.Entry<String, String> e : Json.stringMap(obj.get(map)).entrySet()) {
                size += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (size > MAX_SIZE) {
            errs.tooLong("[]", "must have at most " + MAX_SIZE + " bytes");
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        ConfigDataRules.validateImmutable(obj, old, errs, "data", "binaryData");
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(), Columns.integer("Data", "Data contains the configuration data."), Columns.age());
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        long count = Json.size(obj.get("data")) + Json.size(obj.get("binaryData"));
        return List.of(Rows.name(obj), count, Rows.age(obj, now));
    }
}
