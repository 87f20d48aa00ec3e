package io.jk8s.api.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserSequence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;

/**
 * fabric8's serialization, except that watch events of registered kinds are decoded straight into their
 * model class. fabric8 reads the event's {@code object} (typed {@code KubernetesResource}) into a
 * Jackson tree to learn its kind, then converts the tree into the class: every pod event an informer
 * receives was parsed twice and built a throw-away tree of ~6 KB (the scheduler's largest single
 * allocation site). Here {@code apiVersion} and {@code kind} are read first (buffered only until both
 * are seen: servers write them first) and the rest of the object streams into the class. Anything
 * unexpected (unregistered kinds, extra event fields, malformed input) takes fabric8's own path, so
 * behaviour is unchanged.
 */
public final class DirectWatchEventSerialization extends KubernetesSerialization {

    private final ObjectMapper mapper;

    public DirectWatchEventSerialization() {
        this(new ObjectMapper());
    }

    private DirectWatchEventSerialization(ObjectMapper mapper) {
        super(mapper, true);
        this.mapper = mapper;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T unmarshal(String str, Class<T> type) {
        if (type == WatchEvent.class) {
            WatchEvent event = decodeWatchEvent(str);
            if (event != null) {
                return (T) event;
            }
        }
        return super.unmarshal(str, type);
    }

    /** The event, or null when fabric8's general path must decide. */
    WatchEvent decodeWatchEvent(String str) {
        try (JsonParser p = mapper.createParser(str)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            KubernetesResource object = null;
            boolean sawObject = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if (field.equals("object") && value == JsonToken.START_OBJECT) {
                    object = readResource(p);
                    if (object == null) {
                        return null;
                    }
                    sawObject = true;
                } else {
                    return null;
                }
            }
            if (type == null || !sawObject || p.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
            return new WatchEvent(object, type);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads the object at the parser's START_OBJECT into its registered class: fields before
     * {@code apiVersion} and {@code kind} are known go to a token buffer, which is replayed ahead of
     * the rest of the stream. Null when the kind is not registered.
     */
    private KubernetesResource readResource(JsonParser p) throws IOException {
        String apiVersion = null;
        String kind = null;
        TokenBuffer head = new TokenBuffer(p);
        head.writeStartObject();
        JsonToken t;
        while ((apiVersion == null || kind == null) && (t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("apiVersion") && value == JsonToken.VALUE_STRING) {
                apiVersion = p.getText();
            } else if (field.equals("kind") && value == JsonToken.VALUE_STRING) {
                kind = p.getText();
            }
            head.writeFieldName(field);
            head.copyCurrentStructure(p);
        }
        if (apiVersion == null || kind == null) {
            return null;
        }
        Class<? extends KubernetesResource> cls = getRegisteredKubernetesResource(apiVersion, kind);
        if (cls == null) {
            return null;
        }
        // The buffered head, then the stream from its current token (the next field or the END_OBJECT).
        p.nextToken();
        JsonParser joined = JsonParserSequence.createFlattened(true, head.asParser(mapper), p);
        return mapper.readValue(joined, cls);
    }
}
