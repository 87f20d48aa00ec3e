package io.jk8s.apiserver.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jk8s.api.ApiException;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The server's one JSON/YAML codec: objects travel as Jackson trees so unknown fields round-trip. */
public final class Json {

    /**
     * Requests are served on virtual threads, one per request: Jackson's default buffer pool is
     * per thread, so every parse and every write allocated fresh 8-16 KB buffers (a sixth of the
     * server's allocations under load). A shared lock-free pool reuses them across threads.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(pooledFactory())
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    /** Same, but refuses duplicate keys (fieldValidation=Strict/Warn detection); its own factory, as that is a factory feature. */
    private static final ObjectMapper STRICT_MAPPER = new ObjectMapper(pooledFactory())
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper YAML_MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true);
    private static final ObjectMapper STRICT_YAML_MAPPER = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    /**
     * Bounded: an unbounded shared pool keeps one recycler (and the largest buffers it ever grew) for every
     * request that was ever in flight at once, and a burst of 1,000 watchers or 64 writers would pin them.
     */
    private static JsonFactory pooledFactory() {
        return JsonFactory.builder().recyclerPool(JsonRecyclerPools.newBoundedPool(64)).build();
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses a request body; malformed input is the client's fault (400). */
    public static JsonNode parse(byte[] body, boolean yaml, boolean strictDuplicates) {
        ObjectMapper m = yaml ? (strictDuplicates ? STRICT_YAML_MAPPER : YAML_MAPPER)
                : (strictDuplicates ? STRICT_MAPPER : MAPPER);
        try {
            JsonNode n = m.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty");
            }
            return n;
        } catch (IOException e) {
            String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw ApiException.badRequest("the request body could not be decoded: " + msg);
        }
    }

    /** Parses bytes the server wrote itself (store values): failure is a server bug. */
    public static ObjectNode parseStored(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("corrupt stored object", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] yamlBytes(JsonNode node) {
        try {
            return YAML_MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 3339 with second precision, as Kubernetes writes metav1.Time. */
    public static String time(Instant t) {
        // Every write stamps a time or two; within one second they are all the same text.
        Stamp last = lastStamp;
        if (last.epochSecond() == t.getEpochSecond()) {
            return last.text();
        }
        String text = DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
        lastStamp = new Stamp(t.getEpochSecond(), text);
        return text;
    }

    private record Stamp(long epochSecond, String text) {}

    private static volatile Stamp lastStamp = new Stamp(Long.MIN_VALUE, "");

    public static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The object's metadata, created when absent. */
    public static ObjectNode meta(ObjectNode obj) {
        JsonNode m = obj.get("metadata");
        if (m instanceof ObjectNode o) {
            return o;
        }
        return obj.putObject("metadata");
    }
}
