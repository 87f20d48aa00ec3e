package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.api.patch.JsonPatch;
import io.jk8s.api.patch.MergePatch;
import io.jk8s.api.patch.PatchException;
import io.jk8s.api.patch.PatchMetas;
import io.jk8s.api.patch.ServerSideApply;
import io.jk8s.api.patch.StrategicMergePatch;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.apiserver.watch.CachedObject;
import io.jk8s.registry.KindStrategy;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;
import io.jk8s.store.ValueTooLargeException;
import io.jk8s.store.WriteResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The one generic REST storage (upstream's {@code registry/generic/registry/store.go}): create, get,
 * update, patch and delete of any kind over the {@link Store}, with optimistic concurrency on
 * resourceVersion and the per-kind {@link KindStrategy} for defaults, validation and status.
 */
public final class ResourceStorage {

    /** Kinds whose PUT creates a missing object (upstream's AllowCreateOnUpdate). */
    private static final Set<String> CREATE_ON_UPDATE = Set.of("leases.coordination.k8s.io", "endpoints", "events",
            "events.events.k8s.io", "endpointslices.discovery.k8s.io");
    private static final int MAX_RETRIES = 16;
    private static final String CONFLICT_MESSAGE = "the object has been modified; please apply your changes to the latest version and try again";

    private final Store store;
    private final CacheHub cache;
    /** The cached namespace version each namespace was last found active in (identity: a new version is a new object). */
    private final java.util.Map<String, CachedObject> activeNamespaces = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_NAMESPACES = 10_000;
    private final Clock clock;
    private final ServiceAllocator services;

    public ResourceStorage(Store store, CacheHub cache, Clock clock, ServiceNetwork serviceNetwork) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
        this.services = new ServiceAllocator(store, serviceNetwork);
    }

    public ServiceAllocator services() {
        return services;
    }

    private static boolean isService(ResourceType t) {
        return t.group().isEmpty() && t.kind().equals("Service");
    }

    public Store store() {
        return store;
    }

    // ---------------------------------------------------------------- create

    /** POST: returns the stored object (with resourceVersion), or what would be stored for a dry run. */
    public ObjectNode create(KindStrategy s, String namespace, ObjectNode obj, boolean dryRun) {
        ResourceType t = s.type();
        checkKind(t, obj);
        ObjectNode meta = Json.meta(obj);
        if (t.namespaced()) {
            String bodyNs = Json.text(meta, "namespace");
            if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", namespace);
            requireActiveNamespace(namespace);
        } else {
            meta.remove("namespace");
        }
        String generateName = Json.text(meta, "generateName");
        boolean generated = (Json.text(meta, "name") == null || Json.text(meta, "name").isEmpty())
                && generateName != null && !generateName.isEmpty();
        if (generated) {
            meta.put("name", MetadataRules.generateName(generateName));
        }
        s.prepareForCreate(obj);
        meta = Json.meta(obj);
        meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        meta.put("uid", UUID.randomUUID().toString());
        meta.put("creationTimestamp", Json.time(now()));
        if (s.tracksGeneration()) meta.put("generation", 1); else meta.remove("generation");
        if (t.kind().equals("Namespace")) prepareNamespace(obj);
        s.applyDefaults(obj);
        // Name rules differ per kind (DNS-1035 for Services, "system:*" for RBAC): the strategy owns them.
        List<FieldError> errors = new ArrayList<>(MetadataRules.validateMaps(meta));
        List<FieldError> kindErrors = s.validateCreate(obj);
        if (kindErrors.stream().noneMatch(e -> e.field().equals("metadata.name"))) {
            errors.addAll(MetadataRules.validatePathSegment(Json.text(meta, "name")));
        }
        errors.addAll(kindErrors);
        String name = Json.text(meta, "name");
        if (!errors.isEmpty()) {
            throw ApiException.invalid(t.group(), t.kind(), name, errors);
        }
        if (dryRun) {
            return obj;
        }
        ServiceAllocator.Reservation reserved = isService(t) ? services.allocateForCreate(obj) : ServiceAllocator.Reservation.NONE;
        boolean stored = false;
        try {
            for (int attempt = 0; ; attempt++) {
                String key = Keys.key(t, namespace, name);
                WriteResult r = write(() -> store.create(key, ObjectCodec.encode(obj)));
                if (r instanceof WriteResult.Ok ok) {
                    stored = true;
                    return ObjectCodec.withRevision(obj, ok.kv().modRevision());
                }
                if (!generated || attempt >= 8) {
                    throw ApiException.alreadyExists(t.group(), t.plural(), name);
                }
                name = MetadataRules.generateName(generateName);
                meta.put("name", name);
            }
        } finally {
            if (!stored) services.release(reserved);
        }
    }

    private static void prepareNamespace(ObjectNode ns) {
        String name = Json.text(Json.meta(ns), "name");
        ObjectNode labels = Json.meta(ns).has("labels") && Json.meta(ns).get("labels").isObject()
                ? (ObjectNode) Json.meta(ns).get("labels") : Json.meta(ns).putObject("labels");
        if (name != null) labels.put("kubernetes.io/metadata.name", name);
        ObjectNode spec = ns.has("spec") && ns.get("spec").isObject() ? (ObjectNode) ns.get("spec") : ns.putObject("spec");
        if (!spec.has("finalizers")) spec.putArray("finalizers").add("kubernetes");
        ObjectNode status = ns.has("status") && ns.get("status").isObject() ? (ObjectNode) ns.get("status") : ns.putObject("status");
        status.put("phase", "Active");
    }

    private void checkKind(ResourceType t, ObjectNode obj) {
        String kind = Json.text(obj, "kind");
        String apiVersion = Json.text(obj, "apiVersion");
        if (kind == null || kind.isEmpty()) {
            obj.put("kind", t.kind());
        } else if (!kind.equals(t.kind())) {
            throw ApiException.badRequest("the kind of the provided object (" + kind + ") does not match the resource " + t.plural() + " (" + t.kind() + ")");
        }
        if (apiVersion == null || apiVersion.isEmpty()) {
            obj.put("apiVersion", t.apiVersion());
        } else if (!apiVersion.equals(t.apiVersion())) {
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            if (!group.equals(t.group())) {
                throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the expected API version (" + t.apiVersion() + ")");
            }
            obj.put("apiVersion", t.apiVersion());
        }
        if (!obj.path("metadata").isObject() && obj.has("metadata") && !obj.get("metadata").isNull()) {
            throw ApiException.badRequest("metadata must be an object");
        }
    }

    private void requireActiveNamespace(String namespace) {
        String key = "/registry/namespaces/" + namespace;
        CachedObject cached = cache.get("namespaces", key);
        // Every create checks its namespace: parse a namespace's JSON once per cached version, not per create.
        if (cached != null && activeNamespaces.get(namespace) == cached) {
            return;
        }
        JsonNode ns = cached != null ? cached.object() : store.get(key).map(ObjectCodec::decode).orElse(null);
        if (ns == null) {
            activeNamespaces.remove(namespace);
            throw ApiException.notFound("", "namespaces", namespace);
        }
        if ("Terminating".equals(ns.path("status").path("phase").asText()) || ns.path("metadata").hasNonNull("deletionTimestamp")) {
            throw new ApiException(403, "Forbidden", "unable to create new content in namespace " + namespace
                    + " because it is being terminated", "", "namespaces", namespace, List.of(), null);
        }
        if (cached != null) {
            if (activeNamespaces.size() >= MAX_REMEMBERED_NAMESPACES) {
                activeNamespaces.clear(); // deleted namespaces' entries go only when a create names them again
            }
            activeNamespaces.put(namespace, cached);
        }
    }

    // ---------------------------------------------------------------- get

    public ObjectNode get(KindStrategy s, String namespace, String name, boolean fromCache) {
        ResourceType t = s.type();
        String key = Keys.key(t, namespace, name);
        if (fromCache) {
            CachedObject c = cache.get(t.groupResource(), key);
            if (c == null) throw ApiException.notFound(t.group(), t.plural(), name);
            return c.object(); // a fresh parse: the caller may change it
        }
        return store.get(key).map(ObjectCodec::decode)
                .orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
    }

    // ---------------------------------------------------------------- update & patch

    /** A body addressed by URL (PUT, apply) may omit name and namespace but not contradict them. */
    private static void matchUrl(ResourceType t, ObjectNode meta, String namespace, String name) {
        String bodyName = Json.text(meta, "name");
        if (bodyName != null && !bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the URL (" + name + ")");
        }
        meta.put("name", name);
        if (t.namespaced()) {
            String bodyNs = Json.text(meta, "namespace");
            if (bodyNs != null && !bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
            }
            meta.put("namespace", namespace);
        }
    }

    /** Which part of the object a write may change. */
    public enum Part { MAIN, STATUS }

    /** PUT of the whole object (main resource or /status). */
    public ObjectNode update(KindStrategy s, String namespace, String name, ObjectNode obj, Part part, boolean dryRun) {
        ResourceType t = s.type();
        checkKind(t, obj);
        ObjectNode meta = Json.meta(obj);
        matchUrl(t, meta, namespace, name);
        String rv = Json.text(meta, "resourceVersion");
        boolean conditional = rv != null && !rv.isEmpty();
        String key = Keys.key(t, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            Optional<KeyValue> cur = store.get(key);
            if (cur.isEmpty()) {
                if (part == Part.MAIN && CREATE_ON_UPDATE.contains(t.groupResource()) && !conditional) {
                    ObjectNode copy = obj.deepCopy();
                    return create(s, namespace, copy, dryRun);
                }
                throw ApiException.notFound(t.group(), t.plural(), name);
            }
            if (conditional && !rv.equals(Long.toString(cur.get().modRevision()))) {
                throw ApiException.conflict(t.group(), t.plural(), name, CONFLICT_MESSAGE);
            }
            Optional<ObjectNode> done = tryUpdate(s, cur.get(), obj.deepCopy(), part, dryRun);
            if (done.isPresent()) return done.get();
            if (conditional) throw ApiException.conflict(t.group(), t.plural(), name, CONFLICT_MESSAGE);
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    /** PATCH: applies the patch to the current object and retries on concurrent writes (unless the patch pins a resourceVersion). */
    public ObjectNode patch(KindStrategy s, String namespace, String name, PatchType type, JsonNode patch, Part part, boolean dryRun) {
        return patchWith(s, namespace, name, current -> applyPatch(type, current, patch, s.type().model()), part, dryRun);
    }

    /** What a server-side apply did: the stored object, and whether the apply created it. */
    public record Applied(ObjectNode object, boolean created) {}

    /**
     * Server-side apply of {@code manager}'s configuration: creates the object when it does not exist (after
     * {@code beforeCreate}, the create admission), else merges into it with managed-fields ownership
     * ({@link ServerSideApply}); {@code check} sees the object about to be written (the write guard).
     */
    public Applied apply(KindStrategy s, String namespace, String name, ObjectNode config, String manager, boolean force,
                         Part part, boolean dryRun, java.util.function.Consumer<ObjectNode> beforeCreate,
                         java.util.function.Consumer<ObjectNode> check) {
        ResourceType t = s.type();
        if (!config.hasNonNull("apiVersion") || !config.hasNonNull("kind")) {
            throw ApiException.badRequest("apply configurations must name their apiVersion and kind");
        }
        checkKind(t, config);
        ObjectNode meta = Json.meta(config);
        matchUrl(t, meta, namespace, name);
        var mergeMeta = io.jk8s.api.patch.PatchMetas.forModel(t.model());
        String subresource = part == Part.STATUS ? "status" : null;
        String key = Keys.key(t, namespace, name);
        try {
            for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
                Optional<KeyValue> cur = store.get(key);
                if (cur.isEmpty()) {
                    if (part == Part.STATUS) throw ApiException.notFound(t.group(), t.plural(), name);
                    ObjectNode created = ServerSideApply.apply(null, config, mergeMeta, manager, force, null, Json.time(now()));
                    beforeCreate.accept(created);
                    check.accept(created);
                    try {
                        return new Applied(create(s, namespace, created, dryRun), true);
                    } catch (ApiException e) {
                        if (e.code() != 409 || !"AlreadyExists".equals(e.reason())) throw e;
                        continue; // created meanwhile: apply to it
                    }
                }
                ObjectNode next = ServerSideApply.apply(ObjectCodec.decode(cur.get()), config, mergeMeta, manager, force,
                        subresource, Json.time(now()));
                check.accept(next);
                Optional<ObjectNode> done = tryUpdate(s, cur.get(), next, part, dryRun);
                if (done.isPresent()) return new Applied(done.get(), false);
            }
        } catch (ServerSideApply.ConflictException e) {
            List<FieldError> causes = e.conflicts().stream().map(c -> new FieldError(FieldError.Type.FIELD_MANAGER_CONFLICT,
                    c.field(), null, "conflict with \"" + c.manager() + "\" using " + c.apiVersion())).toList();
            throw new ApiException(409, "Conflict", e.getMessage(), t.group(), t.plural(), name, causes, null);
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    /** A read-modify-write with retries: {@code change} gets the current object (with resourceVersion). */
    public ObjectNode patchWith(KindStrategy s, String namespace, String name, UnaryOperator<ObjectNode> change, Part part, boolean dryRun) {
        ResourceType t = s.type();
        String key = Keys.key(t, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue cur = store.get(key).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
            ObjectNode current = ObjectCodec.decode(cur);
            ObjectNode next = change.apply(current.deepCopy());
            ObjectNode meta = Json.meta(next);
            String rv = Json.text(meta, "resourceVersion");
            boolean pinned = rv != null && !rv.isEmpty() && !rv.equals(Long.toString(cur.modRevision()));
            if (pinned) {
                throw ApiException.conflict(t.group(), t.plural(), name, CONFLICT_MESSAGE);
            }
            if (!name.equals(Json.text(meta, "name"))) {
                throw ApiException.badRequest("the name of the object cannot be changed by a patch");
            }
            if (t.namespaced() && !namespace.equals(Json.text(meta, "namespace"))) {
                throw ApiException.badRequest("the namespace of the object cannot be changed by a patch");
            }
            checkKind(t, next);
            Optional<ObjectNode> done = tryUpdate(s, cur, next, part, dryRun);
            if (done.isPresent()) return done.get();
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    /**
     * A system write that bypasses the strategy (e.g. pods/binding setting spec.nodeName, which pod
     * validation forbids to clients): read-modify-write with retries on concurrent writes.
     */
    public ObjectNode mutate(ResourceType t, String namespace, String name, UnaryOperator<ObjectNode> change) {
        String key = Keys.key(t, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue cur = store.get(key).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
            ObjectNode next = change.apply(ObjectCodec.decode(cur));
            WriteResult r = write(() -> store.update(key, ObjectCodec.encode(next), cur.modRevision()));
            if (r instanceof WriteResult.Ok ok) return ObjectCodec.withRevision(next, ok.kv().modRevision());
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    /** Applies a patch; {@code model} (fabric8 class) supplies the strategic merge keys. */
    /**
     * {@code namespaces/<name>/finalize}: replaces only spec.finalizers (what the namespace controller
     * does once a namespace is empty); a Terminating namespace without finalizers is removed.
     */
    public ObjectNode finalizeNamespace(ResourceType t, String name, ObjectNode body, boolean dryRun) {
        JsonNode finalizers = body.path("spec").path("finalizers");
        String key = Keys.key(t, null, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue cur = store.get(key).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
            ObjectNode next = ObjectCodec.decode(cur);
            ObjectNode spec = next.has("spec") && next.get("spec").isObject() ? (ObjectNode) next.get("spec") : next.putObject("spec");
            if (finalizers.isArray()) spec.set("finalizers", finalizers.deepCopy()); else spec.remove("finalizers");
            if (dryRun) return next;
            WriteResult r = finishesDeletion(t, next) ? store.delete(key, cur.modRevision())
                    : write(() -> store.update(key, ObjectCodec.encode(next), cur.modRevision()));
            if (r instanceof WriteResult.Ok ok) return ObjectCodec.withRevision(next, ok.kv().modRevision());
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    public static ObjectNode applyPatch(PatchType type, ObjectNode current, JsonNode patch, Class<?> model) {
        JsonNode out;
        try {
            out = switch (type) {
                case JSON -> JsonPatch.apply(current, patch);
                case MERGE -> MergePatch.apply(current, patch);
                case STRATEGIC -> StrategicMergePatch.apply(current, patch, PatchMetas.forModel(model));
                case APPLY -> throw ApiException.unsupportedMediaType("apply patch is not supported");
            };
        } catch (PatchException | IllegalArgumentException e) {
            throw new ApiException(422, "Invalid", "the server rejected our request due to an error in our request: " + e.getMessage(),
                    null, null, null, List.of(), null);
        }
        if (!(out instanceof ObjectNode o)) {
            throw ApiException.badRequest("the patch did not produce an object");
        }
        return o;
    }

    /**
     * As upstream: a write that leaves {@code managedFields} out (or empty) keeps the recorded ones, so clients
     * unaware of them never strip them; a list holding one empty entry clears them.
     */
    private static void keepManagedFields(ObjectNode meta, ObjectNode oldMeta) {
        JsonNode sent = meta.get("managedFields");
        if (sent == null || sent.isNull() || (sent.isArray() && sent.isEmpty())) {
            if (oldMeta.has("managedFields")) meta.set("managedFields", oldMeta.get("managedFields")); else meta.remove("managedFields");
        } else if (sent.isArray() && sent.size() == 1 && sent.get(0).isObject() && sent.get(0).isEmpty()) {
            meta.remove("managedFields");
        }
    }

    /** One attempt; empty when the store moved on meanwhile (the caller re-reads and retries). */
    private Optional<ObjectNode> tryUpdate(KindStrategy s, KeyValue cur, ObjectNode next, Part part, boolean dryRun) {
        ResourceType t = s.type();
        ObjectNode old = ObjectCodec.decode(cur);
        ObjectNode oldMeta = Json.meta(old);
        ObjectNode meta = Json.meta(next);
        // System-owned metadata cannot be changed by clients.
        for (String f : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace")) {
            if (oldMeta.has(f)) meta.set(f, oldMeta.get(f)); else meta.remove(f);
        }
        meta.put("resourceVersion", Long.toString(cur.modRevision()));
        keepManagedFields(meta, oldMeta);
        if (part == Part.STATUS) {
            s.prepareForStatusUpdate(next, old);
        } else {
            s.prepareForUpdate(next, old);
            s.applyDefaults(next);
            if (t.kind().equals("Namespace")) keepNamespacePhase(next, old);
        }
        ServiceAllocator.Reservation reserved = part == Part.MAIN && isService(t)
                ? services.allocateForUpdate(next, old) : ServiceAllocator.Reservation.NONE;
        boolean stored = false;
        try {
            Optional<ObjectNode> result = writeUpdate(s, cur, next, old, part, dryRun);
            stored = result.isPresent() && !dryRun;
            if (stored && isService(t)) {
                if (finishesDeletion(t, next)) {
                    services.releaseAll(old);
                } else {
                    services.releaseUnused(old, next);
                }
            }
            return result;
        } finally {
            if (!stored) services.release(reserved);
        }
    }

    private Optional<ObjectNode> writeUpdate(KindStrategy s, KeyValue cur, ObjectNode next, ObjectNode old, Part part, boolean dryRun) {
        ResourceType t = s.type();
        ObjectNode oldMeta = Json.meta(old);
        ObjectNode meta = Json.meta(next);
        List<FieldError> errors = new ArrayList<>(MetadataRules.validateMaps(meta));
        errors.addAll(s.validateUpdate(next, old));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(t.group(), t.kind(), Json.text(meta, "name"), errors);
        }
        if (part == Part.MAIN && s.tracksGeneration() && MetadataRules.specChanged(old, next)) {
            meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
        }
        if (MetadataRules.sameIgnoringRevision(old, next)) {
            return Optional.of(old);
        }
        if (dryRun) {
            return Optional.of(next);
        }
        if (finishesDeletion(t, next)) {
            WriteResult r = store.delete(cur.key(), cur.modRevision());
            return r instanceof WriteResult.Ok ok ? Optional.of(ObjectCodec.withRevision(next, ok.kv().modRevision())) : Optional.empty();
        }
        WriteResult r = write(() -> store.update(cur.key(), ObjectCodec.encode(next), cur.modRevision()));
        return r instanceof WriteResult.Ok ok ? Optional.of(ObjectCodec.withRevision(next, ok.kv().modRevision())) : Optional.empty();
    }

    private static void keepNamespacePhase(ObjectNode next, ObjectNode old) {
        next.set("status", old.path("status").deepCopy());
    }

    /** An object being deleted goes away when its last finalizer is removed (pods: once the kubelet set grace 0). */
    private static boolean finishesDeletion(ResourceType t, ObjectNode obj) {
        JsonNode meta = obj.path("metadata");
        if (!meta.hasNonNull("deletionTimestamp")) return false;
        if (meta.path("finalizers").size() > 0) return false;
        if (t.kind().equals("Namespace")) return obj.path("spec").path("finalizers").isEmpty();
        return !t.kind().equals("Pod") || meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
    }

    // ---------------------------------------------------------------- delete

    /** Result of a delete: gone now, or marked (deletionTimestamp) and waiting for finalizers or the kubelet. */
    public sealed interface Deletion {
        ObjectNode object();
        record Deleted(ObjectNode object) implements Deletion {}
        record Pending(ObjectNode object) implements Deletion {}
    }

    public Deletion delete(KindStrategy s, String namespace, String name, DeleteOptions opts) {
        ResourceType t = s.type();
        String key = Keys.key(t, namespace, name);
        for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
            KeyValue cur = store.get(key).orElseThrow(() -> ApiException.notFound(t.group(), t.plural(), name));
            ObjectNode obj = ObjectCodec.decode(cur);
            ObjectNode meta = Json.meta(obj);
            if (opts.preconditionUid() != null && !opts.preconditionUid().equals(Json.text(meta, "uid"))) {
                throw ApiException.conflict(t.group(), t.plural(), name, "Precondition failed: UID in precondition: "
                        + opts.preconditionUid() + ", UID in object meta: " + Json.text(meta, "uid"));
            }
            if (opts.preconditionResourceVersion() != null && !opts.preconditionResourceVersion().equals(Long.toString(cur.modRevision()))) {
                throw ApiException.conflict(t.group(), t.plural(), name, "Precondition failed: ResourceVersion in precondition: "
                        + opts.preconditionResourceVersion() + ", ResourceVersion in object meta: " + cur.modRevision());
            }
            Optional<Deletion> d = t.kind().equals("Namespace") ? markNamespace(cur, obj, opts) : tryDelete(t, cur, obj, opts);
            if (d.isPresent()) return d.get();
        }
        throw ApiException.conflict(t.group(), t.plural(), name, "too many concurrent writers, please retry");
    }

    private Optional<Deletion> tryDelete(ResourceType t, KeyValue cur, ObjectNode obj, DeleteOptions opts) {
        ObjectNode meta = Json.meta(obj);
        // Foreground and Orphan deletion are carried out by the garbage collector, which acts on these
        // finalizers (upstream adds them here, in the API server, when the delete asks for that policy).
        String gcFinalizer = gcFinalizerFor(opts.propagationPolicy());
        boolean addGcFinalizer = gcFinalizer != null && !meta.hasNonNull("deletionTimestamp")
                && !containsText(meta.path("finalizers"), gcFinalizer);
        boolean hasFinalizers = meta.path("finalizers").size() > 0 || addGcFinalizer;
        long grace = 0;
        if (t.kind().equals("Pod")) {
            grace = podGracePeriod(obj, opts);
        }
        boolean alreadyDeleting = meta.hasNonNull("deletionTimestamp");
        if (grace == 0 && !hasFinalizers) {
            if (opts.dryRun()) return Optional.of(new Deletion.Deleted(obj));
            WriteResult r = store.delete(cur.key(), cur.modRevision());
            if (r instanceof WriteResult.Ok ok) {
                if (isService(t)) services.releaseAll(obj);
                return Optional.of(new Deletion.Deleted(ObjectCodec.withRevision(obj, ok.kv().modRevision())));
            }
            return Optional.empty();
        }
        // Graceful: mark, and let the kubelet (grace) or the finalizers' owners finish the job.
        ObjectNode next = obj.deepCopy();
        ObjectNode nm = Json.meta(next);
        Instant now = now();
        if (addGcFinalizer) {
            JsonNode existing = nm.get("finalizers");
            (existing instanceof com.fasterxml.jackson.databind.node.ArrayNode a ? a : nm.putArray("finalizers")).add(gcFinalizer);
        }
        if (!alreadyDeleting) {
            nm.put("deletionTimestamp", Json.time(now.plusSeconds(grace)));
            nm.put("deletionGracePeriodSeconds", grace);
        } else if (meta.path("deletionGracePeriodSeconds").asLong(0) > grace) {
            // A second delete may only shorten the grace period.
            nm.put("deletionTimestamp", Json.time(now.plusSeconds(grace)));
            nm.put("deletionGracePeriodSeconds", grace);
        } else {
            return Optional.of(new Deletion.Pending(obj));
        }
        if (opts.dryRun()) return Optional.of(new Deletion.Pending(next));
        if (grace == 0 && !hasFinalizers) {
            WriteResult r = store.delete(cur.key(), cur.modRevision());
            return r instanceof WriteResult.Ok ok
                    ? Optional.of(new Deletion.Deleted(ObjectCodec.withRevision(next, ok.kv().modRevision())))
                    : Optional.empty();
        }
        WriteResult r = store.update(cur.key(), ObjectCodec.encode(next), cur.modRevision());
        return r instanceof WriteResult.Ok ok
                ? Optional.of(new Deletion.Pending(ObjectCodec.withRevision(next, ok.kv().modRevision())))
                : Optional.empty();
    }

    private static String gcFinalizerFor(String policy) {
        if (policy == null || policy.equals("Background")) return null;
        return switch (policy) {
            case "Foreground" -> "foregroundDeletion";
            case "Orphan" -> "orphan";
            default -> throw ApiException.badRequest("propagationPolicy: Unsupported value: \"" + policy
                    + "\": supported values: \"Background\", \"Foreground\", \"Orphan\"");
        };
    }

    private static boolean containsText(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) return true;
        }
        return false;
    }

    /** Pods: the request's grace, else the pod's, else 30 s; 0 when no kubelet owns the pod or it has finished. */
    private static long podGracePeriod(ObjectNode pod, DeleteOptions opts) {
        String node = pod.path("spec").path("nodeName").asText("");
        String phase = pod.path("status").path("phase").asText("");
        if (node.isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) return 0;
        if (opts.gracePeriodSeconds() != null) return Math.max(0, opts.gracePeriodSeconds());
        JsonNode tg = pod.path("spec").path("terminationGracePeriodSeconds");
        return tg.isNumber() ? Math.max(0, tg.asLong()) : 30;
    }

    /** Namespaces: phase Terminating + deletionTimestamp; {@link NamespaceFinalizer} empties and removes them. */
    private Optional<Deletion> markNamespace(KeyValue cur, ObjectNode ns, DeleteOptions opts) {
        if (Json.meta(ns).hasNonNull("deletionTimestamp")) {
            return Optional.of(new Deletion.Pending(ns));
        }
        ObjectNode next = ns.deepCopy();
        Json.meta(next).put("deletionTimestamp", Json.time(now()));
        Json.meta(next).put("deletionGracePeriodSeconds", 0);
        ObjectNode status = next.has("status") && next.get("status").isObject() ? (ObjectNode) next.get("status") : next.putObject("status");
        status.put("phase", "Terminating");
        if (opts.dryRun()) return Optional.of(new Deletion.Pending(next));
        WriteResult r = store.update(cur.key(), ObjectCodec.encode(next), cur.modRevision());
        return r instanceof WriteResult.Ok ok
                ? Optional.of(new Deletion.Pending(ObjectCodec.withRevision(next, ok.kv().modRevision())))
                : Optional.empty();
    }

    // ---------------------------------------------------------------- helpers

    private Instant now() {
        return clock.instant();
    }

    private static WriteResult write(java.util.function.Supplier<WriteResult> w) {
        try {
            return w.get();
        } catch (ValueTooLargeException e) {
            throw ApiException.tooLarge("Request entity too large: " + e.getMessage());
        }
    }

    /** Names of the finalizers of an object (for tests and the namespace finalizer). */
    static List<String> finalizers(ObjectNode obj) {
        List<String> out = new ArrayList<>();
        JsonNode f = obj.path("metadata").path("finalizers");
        if (f instanceof ArrayNode a) a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
