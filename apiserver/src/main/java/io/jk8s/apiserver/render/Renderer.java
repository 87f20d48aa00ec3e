package io.jk8s.apiserver.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.storage.ListResult;
import io.jk8s.apiserver.watch.CachedObject;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TableColumn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Writes objects and lists as JSON, YAML, {@code meta.k8s.io/v1 Table} or PartialObjectMetadata. */
public final class Renderer {

    /** includeObject of a Table request. */
    public enum Include { NONE, METADATA, OBJECT;
        public static Include of(String p) {
            if (p == null || p.isEmpty() || p.equals("Metadata")) return METADATA;
            return p.equals("None") ? NONE : p.equals("Object") ? OBJECT : METADATA;
        }
    }

    private final Clock clock;

    public Renderer(Clock clock) {
        this.clock = clock;
    }

    public byte[] object(ObjectNode obj, OutputFormat f, KindStrategy s, Include include) {
        return switch (f) {
            case YAML -> Json.yamlBytes(obj);
            case TABLE -> Json.bytes(table(List.of(obj), s, include, Json.text(obj.path("metadata"), "resourceVersion"), null, null));
            case PARTIAL_METADATA -> Json.bytes(partial(obj));
            default -> Json.bytes(obj);
        };
    }

    public byte[] list(ListResult r, OutputFormat f, KindStrategy s, Include include) {
        ResourceType t = s.type();
        String rv = Long.toString(r.revision());
        switch (f) {
            case TABLE:
                return Json.bytes(table(r.items().stream().map(CachedObject::object).toList(), s, include, rv,
                        r.continueToken(), r.remainingItemCount()));
            case PARTIAL_METADATA: {
                ObjectNode l = Json.object();
                l.put("kind", "PartialObjectMetadataList");
                l.put("apiVersion", "meta.k8s.io/v1");
                l.set("metadata", listMeta(rv, r.continueToken(), r.remainingItemCount()));
                ArrayNode items = l.putArray("items");
                r.items().forEach(o -> items.add(partial(o.object())));
                return Json.bytes(l);
            }
            case YAML: {
                ObjectNode l = Json.object();
                l.put("kind", t.listKind());
                l.put("apiVersion", t.apiVersion());
                l.set("metadata", listMeta(rv, r.continueToken(), r.remainingItemCount()));
                ArrayNode items = l.putArray("items");
                r.items().forEach(o -> items.add(o.object()));
                return Json.yamlBytes(l);
            }
            default:
                return jsonList(r, t, rv);
        }
    }

    /** Splices the cached JSON of each item: a 10,000-item list costs one copy, no encoding. */
    private static byte[] jsonList(ListResult r, ResourceType t, String rv) {
        int size = 256;
        for (CachedObject o : r.items()) size += o.json().length + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(("{\"kind\":\"" + t.listKind() + "\",\"apiVersion\":\"" + t.apiVersion() + "\",\"metadata\":")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.bytes(listMeta(rv, r.continueToken(), r.remainingItemCount())));
        out.writeBytes(",\"items\":[".getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        for (CachedObject o : r.items()) {
            if (!first) out.write(',');
            first = false;
            out.writeBytes(o.json());
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static ObjectNode listMeta(String rv, String cont, Long remaining) {
        ObjectNode m = Json.object();
        m.put("resourceVersion", rv);
        if (cont != null) m.put("continue", cont);
        if (remaining != null) m.put("remainingItemCount", remaining);
        return m;
    }

    public static ObjectNode partial(JsonNode obj) {
        ObjectNode p = Json.object();
        p.put("kind", "PartialObjectMetadata");
        p.put("apiVersion", "meta.k8s.io/v1");
        p.set("metadata", obj.path("metadata").deepCopy());
        return p;
    }

    public ObjectNode table(List<ObjectNode> objects, KindStrategy s, Include include, String rv, String cont, Long remaining) {
        ObjectNode t = Json.object();
        t.put("kind", "Table");
        t.put("apiVersion", "meta.k8s.io/v1");
        t.set("metadata", listMeta(rv == null ? "" : rv, cont, remaining));
        ArrayNode cols = t.putArray("columnDefinitions");
        for (TableColumn c : s.columns()) {
            ObjectNode cd = cols.addObject();
            cd.put("name", c.name());
            cd.put("type", c.type());
            cd.put("format", c.format() == null ? "" : c.format());
            cd.put("description", c.description() == null ? "" : c.description());
            cd.put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        var now = clock.instant();
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Object cell : s.row(o, now)) {
                cells.add(Json.MAPPER.valueToTree(cell));
            }
            switch (include) {
                case METADATA -> row.set("object", partial(o));
                case OBJECT -> row.set("object", o);
                case NONE -> { }
            }
        }
        return t;
    }
}
