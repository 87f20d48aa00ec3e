package io.jk8s.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jk8s.api.ApiException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real kubectl 1.32 against a recording loopback server and decodes the protobuf bodies it POSTs.
 * The server answers discovery and echoes each decoded object back as JSON with 201.
 */
class KubectlProtobufCaptureTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** group/version → resources (name, kind, namespaced) this server advertises. */
    private static final Map<String, List<Res>> RESOURCES = Map.of(
            "v1", List.of(r("configmaps", "ConfigMap", true), r("secrets", "Secret", true),
                    r("services", "Service", true), r("namespaces", "Namespace", false),
                    r("serviceaccounts", "ServiceAccount", true), r("serviceaccounts/token", "TokenRequest", true),
                    r("pods", "Pod", true), r("pods/eviction", "Eviction", true)),
            "apps/v1", List.of(r("deployments", "Deployment", true)),
            "batch/v1", List.of(r("jobs", "Job", true), r("cronjobs", "CronJob", true)),
            "rbac.authorization.k8s.io/v1", List.of(r("roles", "Role", true)));

    record Post(String path, String contentType, byte[] body) {
    }

    @TempDir
    Path home;

    private HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    record Res(String name, String kind, boolean namespaced) {
    }

    private static Res r(String name, String kind, boolean namespaced) {
        return new Res(name, kind, namespaced);
    }

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.32 not installed");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void createConfigMap() throws Exception {
        ObjectNode cm = create("/api/v1/namespaces/default/configmaps", "create", "configmap", "c", "--from-literal=a=b");
        assertThat(cm.get("kind").asText()).isEqualTo("ConfigMap");
        assertThat(cm.at("/metadata/name").asText()).isEqualTo("c");
        assertThat(cm.get("data")).isEqualTo(MAPPER.readTree("{\"a\":\"b\"}"));
    }

    @Test
    void createSecret() throws Exception {
        ObjectNode s = create("/api/v1/namespaces/default/secrets", "create", "secret", "generic", "s", "--from-literal=k=v");
        assertThat(s.at("/data/k").asText()).isEqualTo("dg==");
        assertThat(s.at("/metadata/name").asText()).isEqualTo("s");
    }

    @Test
    void createDeployment() throws Exception {
        ObjectNode d = create("/apis/apps/v1/namespaces/default/deployments",
                "create", "deployment", "web", "--image=busybox:1.35", "--port=80");
        assertThat(d.get("apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/selector/matchLabels/app").asText()).isEqualTo("web");
        JsonNode container = d.at("/spec/template/spec/containers/0");
        assertThat(container.get("name").asText()).isEqualTo("busybox");
        assertThat(container.get("image").asText()).isEqualTo("busybox:1.35");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(80);
        assertThat(d.at("/spec/template/metadata/labels/app").asText()).isEqualTo("web");
    }

    @Test
    void createService() throws Exception {
        ObjectNode s = create("/api/v1/namespaces/default/services", "create", "service", "clusterip", "s", "--tcp=80:8080");
        JsonNode port = s.at("/spec/ports/0");
        assertThat(port.get("port").asInt()).isEqualTo(80);
        assertThat(port.get("targetPort").isNumber()).isTrue();
        assertThat(port.get("targetPort").asInt()).isEqualTo(8080);
        assertThat(s.at("/spec/type").asText()).isEqualTo("ClusterIP");
    }

    @Test
    void createNamespace() throws Exception {
        ObjectNode ns = create("/api/v1/namespaces", "create", "ns", "x");
        assertThat(ns.get("kind").asText()).isEqualTo("Namespace");
        assertThat(ns.at("/metadata/name").asText()).isEqualTo("x");
    }

    @Test
    void createJobAndCronJob() throws Exception {
        ObjectNode job = create("/apis/batch/v1/namespaces/default/jobs", "create", "job", "j", "--image=busybox");
        assertThat(job.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("busybox");
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");

        ObjectNode cron = create("/apis/batch/v1/namespaces/default/cronjobs",
                "create", "cronjob", "c", "--image=busybox", "--schedule=*/1 * * * *");
        assertThat(cron.at("/spec/schedule").asText()).isEqualTo("*/1 * * * *");
        assertThat(cron.at("/spec/jobTemplate/spec/template/spec/containers/0/image").asText()).isEqualTo("busybox");
    }

    @Test
    void createRole() throws Exception {
        ObjectNode role = create("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
                "create", "role", "r", "--verb=get", "--resource=pods");
        assertThat(role.at("/rules/0/verbs/0").asText()).isEqualTo("get");
        assertThat(role.at("/rules/0/resources/0").asText()).isEqualTo("pods");
        assertThat(role.at("/rules/0/apiGroups/0").asText()).isEmpty();
    }

    @Test
    void createToken() throws Exception {
        ObjectNode token = create("/api/v1/namespaces/default/serviceaccounts/default/token",
                "create", "token", "default", "--duration=1h");
        assertThat(token.get("kind").asText()).isEqualTo("TokenRequest");
        assertThat(token.at("/spec/expirationSeconds").asLong()).isEqualTo(3600);
    }

    /** Runs kubectl, expects exactly one protobuf POST to {@code path}, and decodes it. */
    private ObjectNode create(String path, String... args) throws Exception {
        posts.clear();
        String output = kubectl(args);
        List<Post> matching = posts.stream().filter(p -> p.path().equals(path)).toList();
        assertThat(matching).as(output).hasSize(1);
        Post post = matching.get(0);
        assertThat(ProtobufCodec.isProtobuf(post.contentType())).as(post.contentType()).isTrue();
        return ProtobufCodec.decode(post.body());
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(),
                "--server", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--cache-dir", home.resolve("cache").toString(), "-n", "default"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(home, "kubectl", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("KUBECONFIG", home.resolve("kubeconfig").toString());
        Process p = builder.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("kubectl timed out: " + command);
        }
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
                posts.add(new Post(path, contentType, body));
                JsonNode echo;
                try {
                    echo = ProtobufCodec.isProtobuf(contentType) ? ProtobufCodec.decode(body) : MAPPER.readTree(body);
                } catch (ApiException e) {
                    send(exchange, 400, MAPPER.createObjectNode().put("kind", "Status").put("message", e.getMessage()));
                    return;
                }
                if (path.endsWith("/token")) {
                    ((ObjectNode) echo).putObject("status").put("token", "t0k3n")
                            .put("expirationTimestamp", "2030-01-01T00:00:00Z");
                }
                send(exchange, 201, echo);
                return;
            }
            JsonNode answer = discovery(path);
            send(exchange, answer == null ? 404 : 200, answer == null
                    ? MAPPER.createObjectNode().put("kind", "Status").put("code", 404) : answer);
        }
    }

    private static JsonNode discovery(String path) {
        if (path.equals("/version")) {
            return MAPPER.createObjectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.3")
                    .put("platform", "linux/amd64");
        }
        if (path.equals("/api")) {
            ObjectNode n = MAPPER.createObjectNode().put("kind", "APIVersions");
            n.putArray("versions").add("v1");
            n.putArray("serverAddressByClientCIDRs");
            return n;
        }
        if (path.equals("/apis")) {
            ObjectNode list = MAPPER.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            RESOURCES.keySet().stream().filter(gv -> gv.contains("/")).sorted().forEach(gv -> {
                ObjectNode version = MAPPER.createObjectNode().put("groupVersion", gv)
                        .put("version", gv.substring(gv.indexOf('/') + 1));
                ObjectNode group = groups.addObject().put("name", gv.substring(0, gv.indexOf('/')));
                group.putArray("versions").add(version);
                group.set("preferredVersion", version);
            });
            return list;
        }
        String groupVersion = path.startsWith("/api/") ? path.substring(5)
                : path.startsWith("/apis/") ? path.substring(6) : null;
        List<Res> resources = groupVersion == null ? null : RESOURCES.get(groupVersion);
        if (resources == null) {
            return null;
        }
        ObjectNode list = MAPPER.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode items = list.putArray("resources");
        for (Res r : resources) {
            ObjectNode item = items.addObject().put("name", r.name()).put("singularName", "")
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            item.putArray("verbs").add("create").add("get").add("list").add("delete");
        }
        return list;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
