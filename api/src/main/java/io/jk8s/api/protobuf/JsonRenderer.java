package io.jk8s.api.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.jk8s.api.ApiException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Walks a decoded Kubernetes message and renders it as upstream's JSON encoding would.
 *
 * <p>Plain messages become objects keyed by the proto field names (which are upstream's JSON names). A few
 * apimachinery types have their own JSON form and are rendered specially: Time, MicroTime, Duration,
 * Quantity, IntOrString, RawExtension, FieldsV1, and the {@code *Value} wrappers of nullable string lists.
 *
 * <p>Zero values: Go writes non-pointer scalars to the wire even when zero, and the wire cannot say whether a
 * field was a pointer. Empty strings and bytes are dropped (upstream JSON omits them, and "" means unset
 * everywhere); numbers and booleans are kept because an explicit 0/false is meaningful for pointer fields
 * ({@code replicas: 0}, {@code runAsUser: 0}, {@code automountServiceAccountToken: false}). The zero Time
 * (an always-present {@code creationTimestamp}) is dropped, as upstream renders it as null.
 */
final class JsonRenderer {

    static final JsonRenderer INSTANCE = new JsonRenderer();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /**
     * Go structs embedded without a JSON name ({@code json:""}): the wire has them as a nested message, the
     * JSON has their fields at the parent's level. Keyed "field name:message name" from upstream's types.
     */
    private static final Set<String> INLINED = Set.of(
            "volumeSource:VolumeSource",
            "persistentVolumeSource:PersistentVolumeSource",
            "localObjectReference:LocalObjectReference",
            "handler:ProbeHandler",
            "ephemeralContainerCommon:EphemeralContainerCommon",
            "ingressRuleValue:IngressRuleValue");

    private JsonRenderer() {
    }

    ObjectNode newObject() {
        return NODES.objectNode();
    }

    /** Renders a plain (not specially encoded) message as a JSON object. */
    ObjectNode render(Message message) {
        ObjectNode out = NODES.objectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            JsonNode value = renderField(message, field);
            if (value instanceof ObjectNode embedded && isInlined(field)) {
                out.setAll(embedded);
            } else if (value != null) {
                out.set(field.getName(), value);
            }
        }
        return out;
    }

    /** The JSON of one field, or null when it is absent (or a zero value upstream would omit). */
    private JsonNode renderField(Message message, FieldDescriptor field) {
        if (field.isMapField()) {
            return message.getRepeatedFieldCount(field) == 0 ? null : renderMap(message, field);
        }
        if (field.isRepeated()) {
            int count = message.getRepeatedFieldCount(field);
            if (count == 0) {
                return null;
            }
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < count; i++) {
                JsonNode item = renderValue(field, message.getRepeatedField(field, i));
                array.add(item == null ? NODES.nullNode() : item);
            }
            return array;
        }
        if (!message.hasField(field)) {
            return null;
        }
        Object value = message.getField(field);
        if (value instanceof String s && s.isEmpty() || value instanceof ByteString b && b.isEmpty()) {
            return null;
        }
        return renderValue(field, value);
    }

    /** Proto maps arrive as repeated key/value entries; Kubernetes map keys are always strings. */
    private ObjectNode renderMap(Message message, FieldDescriptor field) {
        Descriptor entry = field.getMessageType();
        FieldDescriptor key = entry.findFieldByName("key");
        FieldDescriptor value = entry.findFieldByName("value");
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            Message pair = (Message) message.getRepeatedField(field, i);
            JsonNode rendered = renderValue(value, pair.getField(value));
            out.set(String.valueOf(pair.getField(key)), rendered == null ? NODES.nullNode() : rendered);
        }
        return out;
    }

    private JsonNode renderValue(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> TextNode.valueOf((String) value);
            case BYTE_STRING -> TextNode.valueOf(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> NODES.numberNode((Long) value);
            case FLOAT -> NODES.numberNode((Float) value);
            case DOUBLE -> NODES.numberNode((Double) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case ENUM -> TextNode.valueOf(value.toString());
            case MESSAGE -> renderMessage((Message) value);
        };
    }

    /** A message value: special apimachinery types by name, wrapper lists, else a plain object. */
    private JsonNode renderMessage(Message message) {
        Descriptor type = message.getDescriptorForType();
        switch (type.getFullName()) {
            case "jk8s.meta.v1.Time" -> {
                long seconds = longField(message, "seconds");
                return seconds == 0 && intField(message, "nanos") == 0 ? null
                        : TextNode.valueOf(TIME.format(Instant.ofEpochSecond(seconds)));
            }
            case "jk8s.meta.v1.MicroTime" -> {
                long seconds = longField(message, "seconds");
                int nanos = intField(message, "nanos");
                return seconds == 0 && nanos == 0 ? null
                        : TextNode.valueOf(MICRO_TIME.format(Instant.ofEpochSecond(seconds, nanos)));
            }
            case "jk8s.meta.v1.Duration" -> {
                return TextNode.valueOf(GoDuration.format(longField(message, "duration")));
            }
            case "jk8s.resource.Quantity" -> {
                String quantity = (String) message.getField(type.findFieldByName("string"));
                return TextNode.valueOf(quantity.isEmpty() ? "0" : quantity);
            }
            case "jk8s.intstr.IntOrString" -> {
                return longField(message, "type") == 1
                        ? TextNode.valueOf((String) message.getField(type.findFieldByName("strVal")))
                        : NODES.numberNode(intField(message, "intVal"));
            }
            case "jk8s.runtime.RawExtension" -> {
                return embedded((ByteString) message.getField(type.findFieldByName("raw")));
            }
            case "jk8s.meta.v1.FieldsV1" -> {
                return embedded((ByteString) message.getField(type.findFieldByName("Raw")));
            }
            default -> {
                if (isStringListWrapper(type)) {
                    ArrayNode items = NODES.arrayNode();
                    FieldDescriptor field = type.getFields().get(0);
                    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                        items.add((String) message.getRepeatedField(field, i));
                    }
                    return items;
                }
                return render(message);
            }
        }
    }

    private static boolean isInlined(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
                && INLINED.contains(field.getName() + ":" + field.getMessageType().getName());
    }

    /** Upstream marshals e.g. {@code ExtraValue} (a named []string) as a message holding the list. */
    private static boolean isStringListWrapper(Descriptor type) {
        List<FieldDescriptor> fields = type.getFields();
        return type.getName().endsWith("Value") && fields.size() == 1
                && fields.get(0).getName().equals("items") && fields.get(0).isRepeated()
                && fields.get(0).getJavaType() == FieldDescriptor.JavaType.STRING;
    }

    /** Embedded raw objects: JSON inline, a nested protobuf object decoded, nothing for empty. */
    private static JsonNode embedded(ByteString raw) {
        if (raw.isEmpty()) {
            return null;
        }
        byte[] bytes = raw.toByteArray();
        if (bytes.length >= 4 && bytes[0] == 'k' && bytes[1] == '8' && bytes[2] == 's' && bytes[3] == 0) {
            return ProtobufCodec.decode(bytes);
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("embedded object is neither JSON nor Kubernetes protobuf");
        }
    }

    private static long longField(Message message, String name) {
        return ((Number) message.getField(message.getDescriptorForType().findFieldByName(name))).longValue();
    }

    private static int intField(Message message, String name) {
        return ((Number) message.getField(message.getDescriptorForType().findFieldByName(name))).intValue();
    }
}
