package io.jk8s.api.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.jk8s.api.protobuf.gen.Runtime;
import java.io.ByteArrayOutputStream;

/** Builds request bodies the way client-go does: magic, then a runtime.Unknown around the object. */
final class ProtoBodies {

    private ProtoBodies() {
    }

    static byte[] body(String apiVersion, String kind, MessageLite object) {
        Runtime.Unknown envelope = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(object.toByteString())
                .setContentType("")
                .setContentEncoding("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'k', '8', 's', 0});
        out.writeBytes(envelope.toByteArray());
        return out.toByteArray();
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
