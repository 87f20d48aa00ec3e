package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Namespaces: created Active with the {@code kubernetes} finalizer and the immutable
 * {@code kubernetes.io/metadata.name} label; finalizers change only through {@code /finalize}.
 */
public final class NamespaceStrategy extends BaseStrategy {

    public static final String NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String KUBERNETES_FINALIZER = "kubernetes";

    public NamespaceStrategy(ResourceType type) {
        super(type, NameRules.LABEL_NAME);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status").put("phase", "Active");
        ArrayNode finalizers = Json.arr(Json.obj(obj, "spec"), "finalizers");
        if (!Json.strings(finalizers).contains(KUBERNETES_FINALIZER)) {
            finalizers.add(KUBERNETES_FINALIZER);
        }
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        String name = Json.text(obj, "metadata", "name");
        if (!name.isEmpty()) {
            Json.obj(Json.obj(obj, "metadata"), "labels").put(NAME_LABEL, name);
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        ObjectNode spec = Json.obj(obj, "spec");
        Json.copyField(spec, old.path("spec"), "finalizers");
        if (spec.isEmpty() && !old.has("spec")) {
            obj.remove("spec");
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        List<String> finalizers = Json.strings(Json.at(obj, "spec", "finalizers"));
        for (int i = 0; i < finalizers.size(); i++) {
            String f = finalizers.get(i);
            if (!f.equals(KUBERNETES_FINALIZER)) {
                errs.invalidEach("spec.finalizers[" + i + "]", f, NameRules.qualifiedName(f));
                if (!f.contains("/")) {
                    errs.invalid("spec.finalizers[" + i + "]", f, "name is neither a standard finalizer name nor is it fully qualified");
                }
            }
        }
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        f.put("status.phase", Json.text(obj, "status", "phase"));
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(), Columns.str("Status", "The status of the namespace"), Columns.age());
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return List.of(Rows.name(obj), Json.text(obj, "status", "phase"), Rows.age(obj, now));
    }
}
