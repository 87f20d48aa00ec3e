package io.jk8s.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.protobuf.ProtobufCodec;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.CreateResponder;
import io.jk8s.apiserver.auth.WriteGuard;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.proxy.PodStreams;
import io.jk8s.apiserver.render.OutputFormat;
import io.jk8s.apiserver.render.Renderer;
import io.jk8s.apiserver.storage.DeleteOptions;
import io.jk8s.apiserver.storage.FieldValidator;
import io.jk8s.apiserver.storage.ListQuery;
import io.jk8s.apiserver.storage.ListResult;
import io.jk8s.apiserver.storage.ListService;
import io.jk8s.apiserver.storage.NamespaceFinalizer;
import io.jk8s.apiserver.storage.PatchType;
import io.jk8s.apiserver.storage.ResourceStorage;
import io.jk8s.apiserver.storage.Subresources;
import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.apiserver.watch.CacheWatcher;
import io.jk8s.apiserver.watch.CachedObject;
import io.jk8s.apiserver.watch.EventEncoder;
import io.jk8s.apiserver.watch.JsonEventEncoder;
import io.jk8s.apiserver.watch.TableEventEncoder;
import io.jk8s.registry.KindStrategy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** The REST verbs of one resource request: decoding, options, dispatch to storage, rendering. */
public final class ResourceHandler {

    /** Request bodies above this are refused before decoding (upstream's 3 MiB). */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private final ResourceStorage storage;
    private final ListService lists;
    private final Subresources subresources;
    private final CacheHub cache;
    private final Renderer renderer;
    private final NamespaceFinalizer namespaceFinalizer;
    private final PodStreams podStreams;
    // Set once by the API server before the handler serves (authorization's hooks on writes).
    private WriteGuard writeGuard = WriteGuard.NONE;
    private CreateResponder creates = CreateResponder.NONE;
    // Service-account tokens: the pod token-volume admission and serviceaccounts/token; NONE/null = off.
    private io.jk8s.apiserver.auth.MutatingAdmission admission = io.jk8s.apiserver.auth.MutatingAdmission.NONE;
    private io.jk8s.apiserver.auth.serviceaccount.TokenRequests tokenRequests;

    public ResourceHandler(ResourceStorage storage, ListService lists, Subresources subresources, CacheHub cache,
                           Renderer renderer, NamespaceFinalizer namespaceFinalizer) {
        this(storage, lists, subresources, cache, renderer, namespaceFinalizer, null);
    }

    /** @param podStreams serves pods/log, exec, attach, portforward; null = those answer 405 */
    public ResourceHandler(ResourceStorage storage, ListService lists, Subresources subresources, CacheHub cache,
                           Renderer renderer, NamespaceFinalizer namespaceFinalizer, PodStreams podStreams) {
        this.podStreams = podStreams;
        this.storage = storage;
        this.lists = lists;
        this.subresources = subresources;
        this.cache = cache;
        this.renderer = renderer;
        this.namespaceFinalizer = namespaceFinalizer;
    }

    /**
     * Authorization's hooks on writes: {@code guard} sees every object about to be created, updated or
     * patched (RBAC escalation checks); {@code creates} may answer a create itself (access reviews).
     * Called once, before the handler serves.
     */
    public ResourceHandler withWriteHooks(WriteGuard guard, CreateResponder creates) {
        this.writeGuard = guard;
        this.creates = creates;
        return this;
    }

    /**
     * Service-account tokens: {@code admission} sees every create (the pod token volume), {@code tokens}
     * answers {@code POST serviceaccounts/NAME/token}. Called once, before the handler serves.
     */
    public ResourceHandler withServiceAccountTokens(io.jk8s.apiserver.auth.MutatingAdmission admission,
                                                   io.jk8s.apiserver.auth.serviceaccount.TokenRequests tokens) {
        this.admission = admission;
        this.tokenRequests = tokens;
        return this;
    }

    public void handle(ApiRequest req, Responder res, ResourcePath rp, KindStrategy s) {
        ResourceType t = s.type();
        if (rp.namespace() != null && !t.namespaced()) throw ApiHandler.notFound();
        String ns = rp.namespace();
        if (t.namespaced() && ns == null && rp.name() != null) throw ApiHandler.notFound();
        if (rp.subresource() != null && !t.subresources().contains(rp.subresource())) throw ApiHandler.notFound();
        if (podStreams != null && rp.name() != null && podStreams.serves(t.group(), t.plural(), rp.subresource())) {
            podStreams.handle(req, res, ns, rp.name(), rp.subresource());
            return;
        }
        if (req.body().length > MAX_BODY_BYTES) throw ApiException.tooLarge("Request entity too large: limit is " + MAX_BODY_BYTES);
        OutputFormat f = OutputFormat.negotiate(req.header("Accept"));
        if (f == OutputFormat.DISCOVERY_V2) f = OutputFormat.JSON;
        Renderer.Include include = Renderer.Include.of(req.param("includeObject"));
        boolean dryRun = dryRun(req);
        String name = rp.name();
        String sub = rp.subresource();
        switch (req.method()) {
            case "GET", "HEAD" -> {
                requireVerb(t, name == null ? "list" : "get");
                if (name == null) {
                    ListQuery q = ListQuery.of(req);
                    if (q.watch() || rp.watchPath()) {
                        watch(req, res, s, ns, q, f, include);
                    } else {
                        ListResult r = lists.list(s, ns, q);
                        res.send(200, f.contentType(), renderer.list(r, f, s, include));
                    }
                } else if (sub == null || isStatusLike(sub)) {
                    boolean fromCache = "0".equals(req.param("resourceVersion"));
                    send(res, 200, f, s, include, storage.get(s, ns, name, fromCache));
                } else if (sub.equals("scale")) {
                    json(res, 200, subresources.getScale(s, ns, name));
                } else {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            case "POST" -> {
                if (name == null) {
                    requireVerb(t, "create");
                    ObjectNode body = decodeObject(req, res, t);
                    if (CsrRequestor.applies(t)) CsrRequestor.stamp(body, req.user());
                    java.util.Optional<ObjectNode> answered = creates.answer(req.user(), t, ns, body);
                    if (answered.isPresent()) {
                        json(res, 201, answered.get());
                        return;
                    }
                    admission.admitCreate(req.user(), t, ns, body);
                    writeGuard.check(req.user(), t, ns, body);
                    send(res, 201, f, s, include, storage.create(s, ns, body, dryRun));
                } else if ("binding".equals(sub)) {
                    subresources.bind(s, ns, name, decodeObject(req, res, null));
                    json(res, 201, Status.success("", "pods", name, null));
                } else if ("token".equals(sub) && tokenRequests != null && t.group().isEmpty() && t.plural().equals("serviceaccounts")) {
                    json(res, 201, tokenRequests.create(req.user(), ns, name, decodeObject(req, res, null)));
                } else if ("eviction".equals(sub)) {
                    subresources.evict(s, ns, name, decodeObject(req, res, null), dryRun);
                    json(res, 201, Status.success("", "pods", name, null));
                } else {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            case "PUT" -> {
                if (name == null) throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                requireVerb(t, "update");
                if (sub == null || isStatusLike(sub)) {
                    ObjectNode body = decodeObject(req, res, t);
                    if (sub == null) writeGuard.check(req.user(), t, ns, body);
                    ResourceStorage.Part part = sub == null ? ResourceStorage.Part.MAIN : ResourceStorage.Part.STATUS;
                    boolean existed = sub != null || storage.store().get(io.jk8s.apiserver.storage.Keys.key(t, ns, name)).isPresent();
                    send(res, existed ? 200 : 201, f, s, include, storage.update(s, ns, name, body, part, dryRun));
                } else if (sub.equals("scale")) {
                    json(res, 200, subresources.updateScale(s, ns, name, decodeObject(req, res, null), dryRun));
                } else if (sub.equals("finalize") && t.kind().equals("Namespace")) {
                    send(res, 200, f, s, include, storage.finalizeNamespace(t, name, decodeObject(req, res, null), dryRun));
                } else {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            case "PATCH" -> {
                if (name == null) throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                requireVerb(t, "patch");
                PatchType type = PatchType.of(req.header("Content-Type"));
                if (type == PatchType.APPLY && (sub == null || isStatusLike(sub))) {
                    serverSideApply(req, res, f, s, ns, name, sub == null ? ResourceStorage.Part.MAIN : ResourceStorage.Part.STATUS,
                            include, dryRun);
                    return;
                }
                JsonNode patch = Json.parse(req.body(), false, false);
                if (sub == null || isStatusLike(sub)) {
                    ResourceStorage.Part part = sub == null ? ResourceStorage.Part.MAIN : ResourceStorage.Part.STATUS;
                    if (type != PatchType.JSON) warnUnknownFields(req, res, t, patch);
                    if (sub == null && writeGuard != WriteGuard.NONE) {
                        // The guard judges the object as the patch leaves it, inside the read-modify-write.
                        send(res, 200, f, s, include, storage.patchWith(s, ns, name, cur -> {
                            ObjectNode next = ResourceStorage.applyPatch(type, cur, patch, t.model());
                            writeGuard.check(req.user(), t, ns, next);
                            return next;
                        }, part, dryRun));
                    } else {
                        send(res, 200, f, s, include, storage.patch(s, ns, name, type, patch, part, dryRun));
                    }
                } else if (sub.equals("scale")) {
                    json(res, 200, subresources.patchScale(s, ns, name, type, patch, dryRun));
                } else {
                    throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                }
            }
            case "DELETE" -> {
                if (sub != null) throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
                JsonNode body = req.body().length == 0 ? null : Json.parse(req.body(), isYaml(req), false);
                DeleteOptions opts;
                try {
                    opts = DeleteOptions.from(body, req.param("gracePeriodSeconds"), req.param("propagationPolicy"), dryRun);
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("invalid gracePeriodSeconds");
                }
                if (name != null) {
                    requireVerb(t, "delete");
                    delete(res, f, s, ns, name, opts, include);
                } else {
                    requireVerb(t, "deletecollection");
                    deleteCollection(req, res, f, s, ns, opts, include);
                }
            }
            default -> throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    /**
     * {@code /status}, and a CSR's {@code /approval} (conditions live in status; the approval
     * subresource exists so that RBAC can grant approving apart from signing).
     */
    private static boolean isStatusLike(String sub) {
        return sub.equals("status") || sub.equals("approval");
    }

    private void delete(Responder res, OutputFormat f, KindStrategy s, String ns, String name, DeleteOptions opts, Renderer.Include include) {
        ResourceType t = s.type();
        ResourceStorage.Deletion d = storage.delete(s, ns, name, opts);
        if (d instanceof ResourceStorage.Deletion.Pending p) {
            if (t.kind().equals("Namespace") && !opts.dryRun()) namespaceFinalizer.finalizeLater(name);
            send(res, 200, f, s, include, p.object());
        } else if (t.kind().equals("Pod")) {
            send(res, 200, f, s, include, d.object());
        } else {
            json(res, 200, Status.success(t.group(), t.plural(), name, Json.text(d.object().path("metadata"), "uid")));
        }
    }

    private void deleteCollection(ApiRequest req, Responder res, OutputFormat f, KindStrategy s, String ns,
                                  DeleteOptions opts, Renderer.Include include) {
        ListResult r = lists.list(s, ns, ListQuery.of(req));
        ObjectNode list = Json.object();
        list.put("kind", s.type().listKind());
        list.put("apiVersion", s.type().apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(r.revision()));
        ArrayNode items = list.putArray("items");
        for (CachedObject o : r.items()) {
            try {
                items.add(storage.delete(s, o.namespace().isEmpty() ? null : o.namespace(), o.name(), opts).object());
            } catch (ApiException e) {
                if (e.code() != 404) throw e;
            }
        }
        res.send(200, "application/json", Json.bytes(list));
    }

    private void watch(ApiRequest req, Responder res, KindStrategy s, String ns, ListQuery q, OutputFormat f, Renderer.Include include) {
        ResourceType t = s.type();
        EventEncoder encoder = f == OutputFormat.TABLE ? new TableEventEncoder(renderer, s, include)
                : new JsonEventEncoder(t.kind(), t.apiVersion());
        long from = q.revisionOrZero();
        boolean initial = q.sendInitialEvents() || from == 0;
        ResponseStream stream = res.stream(200, f == OutputFormat.TABLE ? f.contentType() : "application/json");
        CacheWatcher w = new CacheWatcher(io.jk8s.apiserver.storage.Keys.prefix(t, ns), ListService.filter(s, q) == null
                ? o -> true : ListService.filter(s, q), encoder, stream, q.allowBookmarks(), from);
        stream.onClose(() -> cache.unwatch(t.groupResource(), w));
        long timeout = q.timeoutSeconds() != null ? q.timeoutSeconds()
                : ThreadLocalRandom.current().nextLong(1800, 3600);
        if (timeout > 0) {
            var task = stream.schedule(stream::close, timeout, TimeUnit.SECONDS);
            stream.onClose(() -> task.cancel(false));
        }
        try {
            if (from > 0 && !q.sendInitialEvents()) {
                cache.awaitRevision(from, 3_000);
            }
            cache.watch(t.groupResource(), w, from, initial, q.sendInitialEvents());
        } catch (ApiException e) {
            stream.write(encoder.error(Status.of(e)));
            stream.close();
        }
    }

    private static void requireVerb(ResourceType t, String verb) {
        if (!t.verbs().contains(verb)) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
    }

    private static boolean dryRun(ApiRequest req) {
        List<String> values = req.query().get("dryRun");
        if (values == null || values.isEmpty()) return false;
        for (String v : values) {
            if (!v.equals("All")) throw ApiException.badRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
        }
        return true;
    }

    private static boolean isYaml(ApiRequest req) {
        String ct = req.header("Content-Type");
        return ct != null && (ct.startsWith("application/yaml") || ct.startsWith("application/x-yaml") || ct.startsWith("text/yaml"));
    }

    /** Decodes a JSON or YAML object body, applying fieldValidation (unknown/duplicate fields) against {@code t}'s model. */
    private ObjectNode decodeObject(ApiRequest req, Responder res, ResourceType t) {
        String ct = req.header("Content-Type");
        String media = ct == null ? "application/json" : ct.split(";")[0].trim().toLowerCase();
        boolean yaml = isYaml(req);
        if (ProtobufCodec.isProtobuf(ct)) {
            // client-go's typed clients (kubectl >= 1.32 create/drain/...) send built-in kinds as protobuf.
            // The wire format has no unknown or duplicate fields, so field validation has nothing to check.
            return ProtobufCodec.decode(req.body());
        }
        if (!yaml && !media.equals("application/json") && !media.isEmpty() && !media.equals("*/*")) {
            throw ApiException.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
                    + "application/json, application/yaml, application/vnd.kubernetes.protobuf");
        }
        String mode = validationMode(req);
        JsonNode n;
        if (mode.equals("Ignore")) {
            n = Json.parse(req.body(), yaml, false);
        } else {
            try {
                n = Json.parse(req.body(), yaml, true);
            } catch (ApiException e) {
                if (!e.getMessage().contains("Duplicate field")) throw e;
                if (mode.equals("Strict")) throw ApiException.badRequest("strict decoding error: " + e.getMessage());
                res.header("Warning", "299 - \"" + e.getMessage().replace("\"", "'") + "\"");
                n = Json.parse(req.body(), yaml, false);
            }
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        if (t != null && !mode.equals("Ignore")) {
            checkUnknown(mode, res, t, o);
        }
        return o;
    }

    private static String validationMode(ApiRequest req) {
        String mode = req.param("fieldValidation");
        if (mode == null || mode.isEmpty()) return "Warn";
        if (!Set.of("Strict", "Warn", "Ignore").contains(mode)) {
            throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + mode + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        }
        return mode;
    }

    /**
     * {@code PATCH} with {@code application/apply-patch+yaml}: the body is the manager's whole configuration
     * (YAML or JSON); {@code fieldManager} is required, {@code force=true} takes over conflicting fields.
     * A create through apply passes the same admission and write guard as a POST.
     */
    private void serverSideApply(ApiRequest req, Responder res, OutputFormat f, KindStrategy s, String ns, String name,
                                 ResourceStorage.Part part, Renderer.Include include, boolean dryRun) {
        ResourceType t = s.type();
        String manager = req.param("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw ApiException.invalid("meta.k8s.io", "PatchOptions", "",
                    List.of(io.jk8s.api.FieldError.required("fieldManager", "is required for apply patch")));
        }
        String force = req.param("force");
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw ApiException.badRequest("invalid value for force: \"" + force + "\"");
        }
        if (!(Json.parse(req.body(), true, false) instanceof ObjectNode config)) {
            throw ApiException.badRequest("an apply configuration must be an object");
        }
        warnUnknownFields(req, res, t, config);
        ResourceStorage.Applied applied = storage.apply(s, ns, name, config, manager, "true".equals(force), part, dryRun,
                obj -> admission.admitCreate(req.user(), t, ns, obj),
                obj -> {
                    if (part == ResourceStorage.Part.MAIN) writeGuard.check(req.user(), t, ns, obj);
                });
        send(res, applied.created() ? 201 : 200, f, s, include, applied.object());
    }

    private void warnUnknownFields(ApiRequest req, Responder res, ResourceType t, JsonNode patch) {
        String mode = validationMode(req);
        if (!mode.equals("Ignore") && patch instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            stripDirectives(copy);
            checkUnknown(mode, res, t, copy);
        }
    }

    private static void stripDirectives(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(o.properties().stream().map(java.util.Map.Entry::getKey).filter(k -> k.startsWith("$")).toList());
            o.forEach(ResourceHandler::stripDirectives);
        } else if (n instanceof ArrayNode a) {
            a.forEach(ResourceHandler::stripDirectives);
        }
    }

    private static void checkUnknown(String mode, Responder res, ResourceType t, ObjectNode o) {
        List<String> unknown = FieldValidator.unknownFields(o, t.model());
        if (unknown.isEmpty()) return;
        if (mode.equals("Strict")) {
            Set<String> msgs = new LinkedHashSet<>();
            unknown.forEach(u -> msgs.add("unknown field \"" + u + "\""));
            throw ApiException.badRequest("strict decoding error: " + String.join(", ", msgs));
        }
        for (String u : unknown) {
            res.header("Warning", "299 - \"unknown field \\\"" + u + "\\\"\"");
        }
    }

    private void send(Responder res, int code, OutputFormat f, KindStrategy s, Renderer.Include include, ObjectNode obj) {
        res.send(code, f.contentType(), renderer.object(obj, f, s, include));
    }

    private static void json(Responder res, int code, JsonNode body) {
        res.send(code, "application/json", Json.bytes(body));
    }
}
