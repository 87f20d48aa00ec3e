package io.jk8s.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.AuthResult;
import io.jk8s.apiserver.auth.Authenticator;
import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.Forbidden;
import io.jk8s.apiserver.auth.Impersonation;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.discovery.Discovery;
import io.jk8s.apiserver.discovery.OpenApiDocuments;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.render.OutputFormat;
import io.jk8s.apiserver.render.Renderer;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Front door of every request: public health/version paths, authentication (401), authorization
 * (403), discovery and OpenAPI documents, then resource requests to {@link ResourceHandler}.
 * Every failure leaves as a {@code Status}; nothing else (no stack trace) ever reaches a client.
 */
public final class ApiHandler implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final java.util.Set<String> STREAMS_NEEDING_CREATE = java.util.Set.of("exec", "attach", "portforward");
    private static final UserInfo INSECURE_ADMIN = new UserInfo("system:admin", List.of(UserInfo.MASTERS, UserInfo.AUTHENTICATED));

    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;
    private final Impersonation impersonation;
    private final ResourceRegistry registry;
    private final Discovery discovery;
    private final OpenApiDocuments openApi;
    private final ResourceHandler resources;
    private final BooleanSupplier ready;
    private final Supplier<String> serverAddress;
    private final byte[] caBundle;
    /** Set once before the server serves; null when service-account tokens are off. */
    private volatile io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery issuerDiscovery;

    public ApiHandler(List<Authenticator> authenticators, Authorizer authorizer, ResourceRegistry registry,
                      OpenApiDocuments openApi, ResourceHandler resources, BooleanSupplier ready, Supplier<String> serverAddress) {
        this(authenticators, authorizer, registry, openApi, resources, ready, serverAddress, null);
    }

    /** @param caBundle PEM of the cluster CA served at {@code /cacerts}; null = no such path */
    public ApiHandler(List<Authenticator> authenticators, Authorizer authorizer, ResourceRegistry registry,
                      OpenApiDocuments openApi, ResourceHandler resources, BooleanSupplier ready, Supplier<String> serverAddress,
                      byte[] caBundle) {
        this.caBundle = caBundle == null ? null : caBundle.clone();
        this.authenticators = List.copyOf(authenticators);
        this.authorizer = authorizer;
        this.impersonation = new Impersonation(authorizer);
        this.registry = registry;
        this.discovery = new Discovery(registry);
        this.openApi = openApi;
        this.resources = resources;
        this.ready = ready;
        this.serverAddress = serverAddress;
    }

    /** Serves the service-account issuer's OIDC discovery documents (authorized like any non-resource path). */
    public ApiHandler withIssuerDiscovery(io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery discovery) {
        this.issuerDiscovery = discovery;
        return this;
    }

    @Override
    public void handle(ApiRequest req, Responder res) {
        try {
            if (servePublic(req, res)) return;
            ApiRequest authed = req.withUser(impersonation.actingUser(req, authenticate(req)));
            ResourcePath rp = ResourcePath.parse(req.path());
            RequestAttributes attrs = attributes(authed, rp);
            authorizer.deny(authed.user(), attrs).ifPresent(why -> {
                throw Forbidden.of(authed.user(), attrs, why);
            });
            if (rp != null) {
                KindStrategy s = registry.byResource(rp.group(), rp.version(), rp.resource())
                        .orElseThrow(() -> notFound());
                resources.handle(authed, res, rp, s);
            } else {
                serveDocument(authed, res);
            }
        } catch (ApiException e) {
            sendStatus(res, e);
        } catch (RuntimeException e) {
            log.error("internal error serving {} {}", req.method(), req.path(), e);
            sendStatus(res, ApiException.internal("Internal error occurred: " + e.getClass().getSimpleName()));
        }
    }

    static ApiException notFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null, List.of(), null);
    }

    public static void sendStatus(Responder res, ApiException e) {
        if (res.started()) {
            log.debug("cannot report {} after the response started", e.getMessage());
            return;
        }
        res.send(e.code(), "application/json", Json.bytes(Status.of(e)));
    }

    private boolean servePublic(ApiRequest req, Responder res) {
        String p = req.path();
        if (p.equals("/version") || p.equals("/version/")) {
            res.send(200, "application/json", Json.bytes(Discovery.version()));
            return true;
        }
        if (p.startsWith("/healthz") || p.startsWith("/livez")) {
            res.send(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.UTF_8));
            return true;
        }
        if (p.equals("/cacerts") && caBundle != null) {
            // Public like k3s' /cacerts: a joining agent fetches the CA over an unverified connection and
            // checks it against the hash in its token before it sends any credential.
            res.send(200, "text/plain; charset=utf-8", caBundle);
            return true;
        }
        if (p.startsWith("/readyz")) {
            boolean ok = ready.getAsBoolean();
            res.send(ok ? 200 : 500, "text/plain; charset=utf-8",
                    (ok ? "ok" : "[-]informer-sync failed: not ready").getBytes(StandardCharsets.UTF_8));
            return true;
        }
        return false;
    }

    private UserInfo authenticate(ApiRequest req) {
        for (Authenticator a : authenticators) {
            AuthResult r = a.authenticate(req);
            if (r instanceof AuthResult.Authenticated ok) return ok.user();
            if (r instanceof AuthResult.Rejected rej) {
                log.debug("authentication rejected for {}: {}", req.path(), rej.reason());
                throw ApiException.unauthorized("Unauthorized");
            }
        }
        if (!req.secure()) {
            // Plain HTTP exists for tests only: its callers are trusted as the insecure port once was.
            return INSECURE_ADMIN;
        }
        throw ApiException.unauthorized("Unauthorized");
    }

    private static RequestAttributes attributes(ApiRequest req, ResourcePath rp) {
        if (rp == null) {
            return new RequestAttributes(req.method().toLowerCase(), null, null, null, null, null, req.path());
        }
        String verb = switch (req.method()) {
            case "GET", "HEAD" -> rp.name() == null ? (rp.watchPath() || req.flag("watch") ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> rp.name() == null ? "deletecollection" : "delete";
            default -> req.method().toLowerCase();
        };
        if (rp.group().isEmpty() && "pods".equals(rp.resource()) && STREAMS_NEEDING_CREATE.contains(String.valueOf(rp.subresource()))) {
            verb = "create"; // exec/attach/portforward open a process or socket even over GET (WebSocket), as upstream authorizes them
        }
        String name = rp.name();
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            name = nameSelected(req.param("fieldSelector"));
        }
        return new RequestAttributes(verb, rp.group(), rp.resource(), rp.subresource(), rp.namespace(), name, req.path());
    }

    /**
     * As upstream's RequestInfoFactory: a list/watch narrowed to one name by {@code fieldSelector=metadata.name=x}
     * is authorized as addressing that name, so rules with resourceNames apply to it.
     */
    private static String nameSelected(String fieldSelector) {
        if (fieldSelector == null || fieldSelector.isEmpty()) return null;
        try {
            String name = io.jk8s.api.selector.FieldSelector.parse(fieldSelector).requiredValue("metadata.name");
            boolean pathSegment = name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..")
                    && !name.contains("/") && !name.contains("%");
            return pathSegment ? name : null;
        } catch (RuntimeException e) {
            return null; // a malformed selector is reported by the list itself
        }
    }

    private void serveDocument(ApiRequest req, Responder res) {
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            throw ApiException.methodNotAllowed("the server does not allow this method on the requested resource");
        }
        String p = req.path().endsWith("/") && req.path().length() > 1 ? req.path().substring(0, req.path().length() - 1) : req.path();
        String[] seg = p.substring(1).split("/");
        OutputFormat f = p.startsWith("/openapi") ? OutputFormat.JSON : OutputFormat.negotiate(req.header("Accept"));
        if (p.equals("/api")) {
            if (f == OutputFormat.DISCOVERY_V2) {
                json(res, f, discovery.aggregated(true));
            } else {
                json(res, OutputFormat.JSON, discovery.apiVersions(serverAddress.get()));
            }
        } else if (p.equals("/apis")) {
            if (f == OutputFormat.DISCOVERY_V2) {
                json(res, f, discovery.aggregated(false));
            } else {
                json(res, OutputFormat.JSON, discovery.apiGroupList());
            }
        } else if (seg.length == 2 && seg[0].equals("api")) {
            json(res, OutputFormat.JSON, discovery.apiResourceList("", seg[1]).orElseThrow(ApiHandler::notFound));
        } else if (seg.length == 2 && seg[0].equals("apis")) {
            json(res, OutputFormat.JSON, discovery.apiGroup(seg[1]).orElseThrow(ApiHandler::notFound));
        } else if (seg.length == 3 && seg[0].equals("apis")) {
            json(res, OutputFormat.JSON, discovery.apiResourceList(seg[1], seg[2]).orElseThrow(ApiHandler::notFound));
        } else if ((p.equals("/openapi/v2") || p.equals("/swagger.json")) && wantsProtobuf(req.header("Accept"))) {
            // kubectl parses the response type with Go's mime package, which rejects the '@' of the
            // requested type; upstream answers with the dotted form.
            res.send(200, OpenApiDocuments.V2_PROTOBUF_RESPONSE, openApi.v2Protobuf());
        } else if (p.equals("/openapi/v2") || p.equals("/swagger.json")) {
            res.send(200, OutputFormat.JSON.contentType(), openApi.v2());
        } else if (p.equals("/openapi/v3")) {
            res.send(200, OutputFormat.JSON.contentType(), openApi.v3Index());
        } else if (p.startsWith("/openapi/v3/")) {
            res.send(200, OutputFormat.JSON.contentType(),
                    openApi.v3(p.substring("/openapi/v3/".length())).orElseThrow(ApiHandler::notFound));
        } else if (issuerDiscovery != null && io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery.serves(p)) {
            boolean keys = p.equals(io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery.JWKS_PATH);
            res.header("Cache-Control", "public, max-age=3600");
            res.send(200, keys ? io.jk8s.apiserver.auth.serviceaccount.IssuerDiscovery.JWKS_CONTENT_TYPE : "application/json",
                    keys ? issuerDiscovery.keySet() : issuerDiscovery.configuration());
        } else if (p.equals("/")) {
            ObjectNode paths = Json.object();
            var arr = paths.putArray("paths");
            for (String s : List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version")) arr.add(s);
            json(res, OutputFormat.JSON, paths);
        } else {
            throw notFound();
        }
    }

    /** True when the first alternative of {@code Accept} is the gnostic protobuf form. */
    private static boolean wantsProtobuf(String accept) {
        return accept != null && accept.split(",")[0].trim().startsWith(OpenApiDocuments.V2_PROTOBUF);
    }

    private static void json(Responder res, OutputFormat f, JsonNode body) {
        res.send(200, f.contentType(), f == OutputFormat.YAML ? Json.yamlBytes(body) : Json.bytes(body));
    }
}
