package io.jk8s.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.MetaValidator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The generic part of every built-in strategy: object-meta validation, status-subresource semantics,
 * NAME/AGE printing and the metadata field selectors. Kinds override the hooks they need.
 */
public abstract class BaseStrategy implements KindStrategy {

    private static final List<String> ENVELOPE = List.of("apiVersion", "kind", "metadata", "status");

    private final ResourceType type;
    private final Function<String, List<String>> nameRule;

    private final boolean anonymous;

    protected BaseStrategy(ResourceType type, Function<String, List<String>> nameRule) {
        this(type, nameRule, false);
    }

    /** @param anonymous true for never-stored kinds (reviews), whose metadata is not validated */
    protected BaseStrategy(ResourceType type, Function<String, List<String>> nameRule, boolean anonymous) {
        this.type = type;
        this.nameRule = nameRule;
        this.anonymous = anonymous;
    }

    @Override
    public ResourceType type() {
        return type;
    }

    protected boolean hasStatusSubresource() {
        return type.subresources().contains("status");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        if (hasStatusSubresource()) {
            obj.remove("status");
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        if (hasStatusSubresource()) {
            Json.copyField(obj, old, "status");
        }
    }

    /** Keeps every top-level field but metadata and status from {@code old}, then {@link #resetMetadataOnStatusUpdate}. */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        List<String> keys = new ArrayList<>();
        obj.fieldNames().forEachRemaining(keys::add);
        old.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (!ENVELOPE.contains(key)) {
                Json.copyField(obj, old, key);
            }
        }
        resetMetadataOnStatusUpdate(Json.obj(obj, "metadata"), Json.objAt(old, "metadata"));
    }

    /**
     * Metadata a {@code /status} write may not change. Upstream's status strategies mostly reset only the
     * spec, so the default keeps the new metadata (generic fields are the API server's); Deployments reset
     * labels, Pods owner references.
     */
    protected void resetMetadataOnStatusUpdate(ObjectNode meta, ObjectNode oldMeta) {
    }

    @Override
    public final List<FieldError> validateCreate(ObjectNode obj) {
        Errors errs = new Errors();
        if (!anonymous) {
            MetaValidator.validate(obj.path("metadata"), nameRule, type.namespaced(), errs);
        }
        validate(obj, errs);
        return errs.toList();
    }

    @Override
    public final List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        Errors errs = new Errors();
        if (!anonymous) {
            MetaValidator.validate(obj.path("metadata"), nameRule, type.namespaced(), errs);
        }
        validate(obj, errs);
        validateTransition(obj, old, errs);
        return errs.toList();
    }

    /** Kind-specific rules for any write. */
    protected void validate(ObjectNode obj, Errors errs) {
    }

    /** Rules that compare with the stored object: immutable fields. */
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
    }

    @Override
    public boolean tracksGeneration() {
        return false;
    }

    @Override
    public final Map<String, String> selectableFields(ObjectNode obj) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("metadata.name", Json.text(obj, "metadata", "name"));
        fields.put("metadata.namespace", type.namespaced() ? Json.text(obj, "metadata", "namespace") : "");
        addSelectableFields(obj, fields);
        return fields;
    }

    protected void addSelectableFields(ObjectNode obj, Map<String, String> fields) {
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(), Columns.age());
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return List.of(Rows.name(obj), Rows.age(obj, now));
    }
}
