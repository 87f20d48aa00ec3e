package io.jk8s.api.kubectl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jk8s.api.ResourceType;
import io.jk8s.api.openapi.OpenApiGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback HTTP server with legacy discovery and the generated OpenAPI documents, for running the real
 * kubectl in tests. Other requests go to a {@link Handler}. Close it to stop the server.
 */
public final class KubectlFixture implements AutoCloseable {

    public static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");

    /** Answers a non-discovery request: a JSON body and a status, or null for 404. */
    public interface Handler {
        Response handle(String method, String path, String query, String contentType, JsonNode body) throws IOException;
    }

    public record Response(int status, JsonNode body) {
    }

    public record Result(int exitCode, String output) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path kubectl;
    private final List<ResourceType> types;
    private final OpenApiGenerator openApi;
    private final Handler handler;
    private final Path home;
    private final HttpServer server;

    public KubectlFixture(List<ResourceType> types, Path home, Handler handler) throws IOException {
        this(KUBECTL, types, home, handler);
    }

    /** @param kubectl the kubectl binary to run, e.g. {@code /usr/lib/google-cloud-sdk/bin/kubectl.1.27} */
    public KubectlFixture(Path kubectl, List<ResourceType> types, Path home, Handler handler) throws IOException {
        this.kubectl = kubectl;
        this.types = types;
        this.openApi = new OpenApiGenerator(types);
        this.handler = handler;
        this.home = home;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    public static boolean available() {
        return Files.isExecutable(KUBECTL);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Runs kubectl against this server; stdin is empty; output is stdout and stderr together. */
    public Result kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(kubectl.toString(),
                "--server", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "kubectl", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
        Process p = builder.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("kubectl timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/openapi/v2")) {
                byte[] proto = openApi.v2Protobuf();
                exchange.getResponseHeaders().set("Content-Type",
                        "application/octet-stream"); // what upstream answers; Go cannot parse the "@" type
                exchange.sendResponseHeaders(200, proto.length);
                exchange.getResponseBody().write(proto);
                return;
            }
            Response response = switch (path) {
                case "/version" -> ok(MAPPER.createObjectNode().put("major", "1").put("minor", "32")
                        .put("gitVersion", "v1.32.0").put("platform", "linux/amd64"));
                case "/api" -> {
                    ObjectNode n = MAPPER.createObjectNode().put("kind", "APIVersions");
                    n.putArray("versions").add("v1");
                    n.putArray("serverAddressByClientCIDRs");
                    yield ok(n);
                }
                case "/apis" -> ok(groups());
                case "/openapi/v3" -> ok(openApi.v3Index());
                default -> {
                    if (path.startsWith("/openapi/v3/")) {
                        yield ok(openApi.v3(path.substring("/openapi/v3/".length())));
                    }
                    ObjectNode resources = resources(path);
                    if (resources != null) {
                        yield ok(resources);
                    }
                    byte[] raw = exchange.getRequestBody().readAllBytes();
                    JsonNode body = raw.length == 0 ? null : MAPPER.readTree(raw);
                    yield handler.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body);
                }
            };
            if (response == null || response.body() == null) {
                response = new Response(404, MAPPER.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                        .put("status", "Failure").put("reason", "NotFound").put("code", 404)
                        .put("message", path + " not found"));
            }
            byte[] bytes = MAPPER.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (RuntimeException e) {
            byte[] bytes = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    private ObjectNode groups() {
        ObjectNode list = MAPPER.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        List<String> seen = new ArrayList<>();
        for (ResourceType t : types) {
            if (t.group().isEmpty() || seen.contains(t.group())) {
                continue;
            }
            seen.add(t.group());
            ObjectNode g = groups.addObject().put("name", t.group());
            ObjectNode v = MAPPER.createObjectNode().put("groupVersion", t.apiVersion()).put("version", t.version());
            g.putArray("versions").add(v);
            g.set("preferredVersion", v.deepCopy());
        }
        return list;
    }

    private ObjectNode resources(String path) {
        String gv = path.startsWith("/api/") ? path.substring(5) : path.startsWith("/apis/") ? path.substring(6) : null;
        if (gv == null) {
            return null;
        }
        ObjectNode list = MAPPER.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", gv);
        ArrayNode resources = list.putArray("resources");
        for (ResourceType t : types) {
            if (t.apiVersion().equals(gv)) {
                ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                        .put("namespaced", t.namespaced()).put("kind", t.kind());
                ArrayNode verbs = r.putArray("verbs");
                t.verbs().forEach(verbs::add);
                ArrayNode shortNames = r.putArray("shortNames");
                t.shortNames().forEach(shortNames::add);
            }
        }
        return resources.isEmpty() ? null : list;
    }
}
