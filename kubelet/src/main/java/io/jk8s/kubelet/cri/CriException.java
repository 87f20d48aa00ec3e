package io.jk8s.kubelet.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A CRI call that did not succeed: the runtime refused it, did not answer in time, or could not
 * be reached. Carries the operation name and a coarse {@link Kind} so callers can branch
 * without knowing gRPC (e.g. treat {@link Kind#NOT_FOUND} on remove as "already gone").
 */
public final class CriException extends RuntimeException {

    /** What went wrong, in terms a kubelet acts on. */
    public enum Kind {
        /** The sandbox, container or image does not exist. */
        NOT_FOUND,
        /** The object already exists (e.g. a container name reused within a sandbox). */
        ALREADY_EXISTS,
        /** The runtime rejected the request as malformed or not applicable to the current state. */
        INVALID,
        /** The call did not finish before its deadline. */
        TIMEOUT,
        /** The runtime socket is not reachable (runtime down or restarting). */
        UNAVAILABLE,
        /** Any other runtime-side failure. */
        RUNTIME_ERROR
    }

    private final String operation;
    private final Kind kind;

    public CriException(String operation, Kind kind, String message, Throwable cause) {
        super(operation + ": " + kind + ": " + message, cause);
        this.operation = operation;
        this.kind = kind;
    }

    /** Translates a gRPC failure of {@code operation} into a {@code CriException}. */
    public static CriException from(String operation, StatusRuntimeException e) {
        Status status = e.getStatus();
        Kind kind = switch (status.getCode()) {
            case NOT_FOUND -> Kind.NOT_FOUND;
            case ALREADY_EXISTS -> Kind.ALREADY_EXISTS;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE, UNIMPLEMENTED -> Kind.INVALID;
            case DEADLINE_EXCEEDED -> Kind.TIMEOUT;
            case UNAVAILABLE, CANCELLED -> Kind.UNAVAILABLE;
            default -> {
                // containerd reports some missing objects as UNKNOWN with a "not found" text.
                String description = String.valueOf(status.getDescription());
                yield description.contains("not found") ? Kind.NOT_FOUND : Kind.RUNTIME_ERROR;
            }
        };
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return new CriException(operation, kind, description, e);
    }

    public String operation() {
        return operation;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isNotFound() {
        return kind == Kind.NOT_FOUND;
    }
}
