package io.jk8s.api;

/**
 * One invalid field, reported in {@code Status.details.causes} (reason = {@link Type#reason}, field = path).
 * The message follows upstream: {@code spec.containers[0].name: Required value}.
 *
 * @param type   what is wrong
 * @param field  JSON path as upstream writes it, e.g. {@code metadata.name}, {@code spec.containers[0].image}
 * @param value  the offending value (may be null)
 * @param detail extra explanation (may be empty)
 */
public record FieldError(Type type, String field, Object value, String detail) {

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        NOT_FOUND("FieldValueNotFound", "Not found"),
        /** Server-side apply: another field manager owns the field; the detail says which. */
        FIELD_MANAGER_CONFLICT("FieldManagerConflict", "conflict");

        public final String reason;
        public final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError notSupported(String field, Object value, java.util.Collection<String> allowed) {
        return new FieldError(Type.NOT_SUPPORTED, field, value,
                "supported values: " + String.join(", ", allowed.stream().map(v -> "\"" + v + "\"").toList()));
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    /** Upstream's rendering: {@code field: Invalid value: "x": detail}. */
    public String message() {
        return field + ": " + causeMessage();
    }

    /** The message of a {@code Status} cause, which names the field separately: {@code Invalid value: "x": detail}. */
    public String causeMessage() {
        if (type == Type.FIELD_MANAGER_CONFLICT) return detail;
        StringBuilder b = new StringBuilder(type.text);
        if (value != null && (type == Type.INVALID || type == Type.NOT_SUPPORTED || type == Type.DUPLICATE
                || type == Type.NOT_FOUND)) {
            b.append(": ").append(value instanceof String s ? "\"" + s + "\"" : String.valueOf(value));
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }
}
