package io.jk8s.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jk8s.api.ResourceType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serves the generated documents (plus minimal legacy discovery) from a JDK HttpServer on loopback and
 * runs the real {@code kubectl explain} (1.32, which reads OpenAPI v3) against it.
 */
class KubectlExplainTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OpenApiGenerator generator = new OpenApiGenerator(TestTypes.TYPES);
    private HttpServer server;

    @TempDir
    Path home;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Object body = switch (path) {
            case "/version" -> MAPPER.createObjectNode().put("major", "1").put("minor", "32")
                    .put("gitVersion", "v1.32.0").put("platform", "linux/amd64");
            case "/api" -> {
                ObjectNode n = MAPPER.createObjectNode().put("kind", "APIVersions");
                n.putArray("versions").add("v1");
                n.putArray("serverAddressByClientCIDRs");
                yield n;
            }
            case "/apis" -> groups();
            case "/openapi/v3" -> generator.v3Index();
            default -> {
                if (path.startsWith("/openapi/v3/")) {
                    yield generator.v3(path.substring("/openapi/v3/".length()));
                }
                yield resources(path);
            }
        };
        byte[] bytes = body == null ? "{}".getBytes(StandardCharsets.UTF_8) : MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private ObjectNode groups() {
        ObjectNode list = MAPPER.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        List<String> seen = new ArrayList<>();
        for (ResourceType t : TestTypes.TYPES) {
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
        for (ResourceType t : TestTypes.TYPES) {
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

    private String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(),
                "--server", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        Path out = home.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
        Process p = builder.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("kubectl timed out");
        }
        String text = Files.readString(out);
        System.out.println(String.join(" ", args) + ":\n" + text);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void explainsNestedFieldsOfADeployment() throws Exception {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.32 not installed");
        String out = kubectl("explain", "deployment.spec.template.spec.containers");
        assertThat(out).contains("GROUP:      apps").contains("KIND:       Deployment")
                .contains("FIELD: containers <[]Container>")
                .contains("image\t<string>")
                .contains("name\t<string> -required-")
                .contains("ports\t<[]ContainerPort>");
    }

    @Test
    void explainsACoreKindRecursively() throws Exception {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.32 not installed");
        String out = kubectl("explain", "pods", "--recursive");
        assertThat(out).contains("KIND:       Pod").contains("VERSION:    v1").contains("containerPort")
                .contains("metadata\t<ObjectMeta>");
    }
}
