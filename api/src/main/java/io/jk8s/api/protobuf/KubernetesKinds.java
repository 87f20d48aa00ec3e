package io.jk8s.api.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.jk8s.api.protobuf.gen.AppsV1;
import io.jk8s.api.protobuf.gen.AuthenticationV1;
import io.jk8s.api.protobuf.gen.AuthorizationV1;
import io.jk8s.api.protobuf.gen.BatchV1;
import io.jk8s.api.protobuf.gen.CertificatesV1;
import io.jk8s.api.protobuf.gen.CoordinationV1;
import io.jk8s.api.protobuf.gen.CoreV1;
import io.jk8s.api.protobuf.gen.EventsV1;
import io.jk8s.api.protobuf.gen.MetaV1;
import io.jk8s.api.protobuf.gen.NetworkingV1;
import io.jk8s.api.protobuf.gen.PolicyV1;
import io.jk8s.api.protobuf.gen.RbacV1;
import io.jk8s.api.protobuf.gen.SchedulingV1;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The table (apiVersion, kind) → message descriptor for the kinds whose protobuf bodies jk8s decodes. */
final class KubernetesKinds {

    private static final String OBJECT_META = "jk8s.meta.v1.ObjectMeta";
    private static final String LIST_META = "jk8s.meta.v1.ListMeta";

    /** Options kinds are sent under the apiVersion of whatever group the request addresses. */
    private static final Map<String, Descriptor> ANY_VERSION = Map.of(
            "DeleteOptions", MetaV1.DeleteOptions.getDescriptor(),
            "Status", MetaV1.Status.getDescriptor());

    private static final Map<String, Descriptor> KINDS = new HashMap<>();

    static {
        register("v1", CoreV1.getDescriptor());
        register("apps/v1", AppsV1.getDescriptor());
        register("batch/v1", BatchV1.getDescriptor());
        register("rbac.authorization.k8s.io/v1", RbacV1.getDescriptor());
        register("scheduling.k8s.io/v1", SchedulingV1.getDescriptor());
        register("policy/v1", PolicyV1.getDescriptor());
        register("networking.k8s.io/v1", NetworkingV1.getDescriptor());
        register("authentication.k8s.io/v1", AuthenticationV1.getDescriptor());
        register("authorization.k8s.io/v1", AuthorizationV1.getDescriptor());
        register("certificates.k8s.io/v1", CertificatesV1.getDescriptor());
        register("coordination.k8s.io/v1", CoordinationV1.getDescriptor());
        register("events.k8s.io/v1", EventsV1.getDescriptor());
    }

    private KubernetesKinds() {
    }

    /** Every top-level object of a group version carries ObjectMeta or ListMeta as field {@code metadata}. */
    private static void register(String apiVersion, FileDescriptor file) {
        for (Descriptor message : file.getMessageTypes()) {
            FieldDescriptor metadata = message.findFieldByName("metadata");
            if (metadata != null && metadata.getType() == FieldDescriptor.Type.MESSAGE
                    && (metadata.getMessageType().getFullName().equals(OBJECT_META)
                        || metadata.getMessageType().getFullName().equals(LIST_META))) {
                KINDS.put(key(apiVersion, message.getName()), message);
            }
        }
    }

    static Optional<Descriptor> lookup(String apiVersion, String kind) {
        Descriptor known = KINDS.get(key(apiVersion, kind));
        if (known != null) {
            return Optional.of(known);
        }
        return Optional.ofNullable(ANY_VERSION.get(kind));
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "|" + kind;
    }
}
