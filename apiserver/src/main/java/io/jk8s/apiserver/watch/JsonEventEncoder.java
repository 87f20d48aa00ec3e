package io.jk8s.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Watch events as JSON lines {@code {"type":..,"object":..}}, reusing the cached object JSON. */
public final class JsonEventEncoder implements EventEncoder {

    private final String kind;
    private final String apiVersion;

    public JsonEventEncoder(String kind, String apiVersion) {
        this.kind = kind;
        this.apiVersion = apiVersion;
    }

    @Override
    public byte[] event(String type, CachedObject object) {
        byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + object.json().length + 3);
        out.writeBytes(head);
        out.writeBytes(object.json());
        out.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Override
    public byte[] bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode obj = Json.object().put("kind", kind).put("apiVersion", apiVersion);
        ObjectNode meta = obj.putObject("metadata").put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        return line("BOOKMARK", obj);
    }

    @Override
    public byte[] error(ObjectNode status) {
        return line("ERROR", status);
    }

    static byte[] line(String type, ObjectNode object) {
        ObjectNode e = Json.object().put("type", type);
        e.set("object", object);
        byte[] b = Json.bytes(e);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        out[b.length] = '\n';
        return out;
    }
}
