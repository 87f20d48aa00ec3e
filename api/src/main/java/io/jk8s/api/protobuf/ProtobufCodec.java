package io.jk8s.api.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jk8s.api.ApiException;
import io.jk8s.api.protobuf.gen.Runtime;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decodes request bodies in the Kubernetes protobuf encoding ({@code application/vnd.kubernetes.protobuf})
 * into the JSON that upstream's JSON encoding would produce for the same object.
 *
 * <p>Wire format: the 4-byte magic {@code k8s\0}, then a {@code runtime.Unknown} envelope whose TypeMeta names
 * the object and whose {@code raw} bytes hold the object's own message. jk8s stores and answers JSON, so
 * only decoding is needed: kubectl accepts JSON responses.
 */
public final class ProtobufCodec {

    /** The media type client-go's typed clients use for built-in kinds. */
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private ProtobufCodec() {
    }

    /**
     * Whether a Content-Type header names the Kubernetes protobuf encoding (parameters ignored).
     *
     * @param contentType the header value, may be null
     */
    public static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE);
    }

    /**
     * Decodes one protobuf-encoded object.
     *
     * @param body the whole request body, magic included
     * @return the object as upstream JSON, with {@code apiVersion} and {@code kind} from the envelope
     * @throws ApiException 400 Bad Request for a missing magic, malformed or truncated data, an encoded
     *                      (e.g. gzip) payload, or an apiVersion/kind this decoder does not know
     */
    public static ObjectNode decode(byte[] body) {
        if (body == null || body.length < MAGIC.length
                || !Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw ApiException.badRequest("protobuf body does not start with the Kubernetes magic k8s\\0");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parser().parseFrom(body, MAGIC.length, body.length - MAGIC.length);
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("malformed protobuf envelope: " + e.getMessage());
        }
        if (!envelope.getContentEncoding().isEmpty()) {
            throw ApiException.badRequest("unsupported protobuf content encoding " + envelope.getContentEncoding());
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        Descriptor type = KubernetesKinds.lookup(apiVersion, kind)
                .orElseThrow(() -> ApiException.badRequest("cannot decode protobuf for kind " + kind
                        + " in " + (apiVersion.isEmpty() ? "an empty apiVersion" : apiVersion)
                        + "; send it as application/json"));
        DynamicMessage object;
        try {
            object = DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("malformed protobuf " + kind + ": " + e.getMessage());
        }
        ObjectNode json = JsonRenderer.INSTANCE.newObject();
        json.put("apiVersion", apiVersion);
        json.put("kind", kind);
        json.setAll(JsonRenderer.INSTANCE.render(object));
        return json;
    }
}
