package io.jk8s.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The per-kind rules of the generic REST storage (upstream's {@code rest.RESTCreateStrategy} and friends).
 *
 * <p>Objects are plain JSON trees (the stored form), so unknown fields round-trip untouched. The API
 * server calls, in order: on create {@code prepareForCreate → applyDefaults → validateCreate};
 * on update of the main resource {@code prepareForUpdate → applyDefaults → validateUpdate};
 * on update of {@code /status} {@code prepareForStatusUpdate → validateUpdate}. Generic metadata
 * (uid, resourceVersion, creationTimestamp, generateName, generation, namespace checks,
 * deletion) is the API server's job, not the strategy's. Methods mutate in place and never throw
 * for bad input: they return every field error found, each with its full path.
 * Implementations are stateless and thread-safe.
 */
public interface KindStrategy {

    ResourceType type();

    /** Upstream's defaulting ({@code SetDefaults_*}), e.g. a Pod's restartPolicy, dnsPolicy, container terminationMessagePath. */
    void applyDefaults(ObjectNode obj);

    /** Drops what a client may not set on create, e.g. {@code status} for kinds with a status subresource. */
    void prepareForCreate(ObjectNode obj);

    /** Update of the main resource: keeps the old {@code status} where the kind has a status subresource. */
    void prepareForUpdate(ObjectNode obj, ObjectNode old);

    /** Update of {@code /status}: keeps everything but {@code status} from the old object. */
    void prepareForStatusUpdate(ObjectNode obj, ObjectNode old);

    List<FieldError> validateCreate(ObjectNode obj);

    /** Includes the create rules plus immutability (e.g. a Deployment's spec.selector, a Pod's spec except image/tolerations...). */
    List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old);

    /** True when {@code metadata.generation} is bumped on spec changes (workloads, pods); false for e.g. ConfigMaps. */
    boolean tracksGeneration();

    /** Values for field selectors: always metadata.name and metadata.namespace, plus the kind's own (spec.nodeName, status.phase ...). */
    Map<String, String> selectableFields(ObjectNode obj);

    /** Upstream's printer columns for {@code kubectl get} (Table), the first being NAME. */
    List<TableColumn> columns();

    /** One cell per column of {@link #columns()}: String, Long/Integer, Boolean or null. */
    List<Object> row(ObjectNode obj, Instant now);
}
