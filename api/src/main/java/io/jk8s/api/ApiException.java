package io.jk8s.api;

import java.util.List;

/**
 * A request that cannot be served, carrying everything needed for the {@code Status} response
 * (code, reason, message, details). Thrown by the API layers and turned into a response in one place.
 *
 * @see <a href="https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md">API conventions</a>
 */
public class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String group;
    private final String kind;
    private final String name;
    private final List<FieldError> causes;
    private final Integer retryAfterSeconds;

    public ApiException(int code, String reason, String message, String group, String kind, String name,
                        List<FieldError> causes, Integer retryAfterSeconds) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.group = group;
        this.kind = kind;
        this.name = name;
        this.causes = causes == null ? List.of() : List.copyOf(causes);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    private static ApiException of(int code, String reason, String message) {
        return new ApiException(code, reason, message, null, null, null, null, null);
    }

    /** {@code pods "web" not found}; kind in details is the resource (plural), as upstream. */
    public static ApiException notFound(String group, String resource, String name) {
        return new ApiException(404, "NotFound", qualified(resource, group) + " \"" + name + "\" not found", group, resource, name, null, null);
    }

    public static ApiException alreadyExists(String group, String resource, String name) {
        return new ApiException(409, "AlreadyExists", qualified(resource, group) + " \"" + name + "\" already exists", group, resource, name, null, null);
    }

    public static ApiException conflict(String group, String resource, String name, String why) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name + "\": " + why,
                group, resource, name, null, null);
    }

    /** 422: {@code Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be ..., ...]}. */
    public static ApiException invalid(String group, String kind, String name, List<FieldError> errors) {
        String list = errors.size() == 1 ? errors.get(0).message()
                : "[" + String.join(", ", errors.stream().map(FieldError::message).toList()) + "]";
        return new ApiException(422, "Invalid", qualified(kind, group) + " \"" + name + "\" is invalid: " + list,
                group, kind, name, errors, null);
    }

    /** {@code pods}, {@code deployments.apps}: a resource or kind qualified by its group, as upstream prints it. */
    private static String qualified(String name, String group) {
        return group == null || group.isEmpty() ? name : name + "." + group;
    }

    public static ApiException badRequest(String message) {
        return of(400, "BadRequest", message);
    }

    public static ApiException unauthorized(String message) {
        return of(401, "Unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return of(403, "Forbidden", message);
    }

    public static ApiException methodNotAllowed(String message) {
        return of(405, "MethodNotAllowed", message);
    }

    public static ApiException notAcceptable(String message) {
        return of(406, "NotAcceptable", message);
    }

    public static ApiException gone(String message) {
        return of(410, "Expired", message);
    }

    public static ApiException tooLarge(String message) {
        return of(413, "RequestEntityTooLarge", message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return of(415, "UnsupportedMediaType", message);
    }

    public static ApiException internal(String message) {
        return of(500, "InternalError", message);
    }

    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, "TooManyRequests", message, null, null, null, null, retryAfterSeconds);
    }

    public int code() { return code; }
    public String reason() { return reason; }
    public String group() { return group; }
    public String kind() { return kind; }
    public String name() { return name; }
    public List<FieldError> causes() { return causes; }
    public Integer retryAfterSeconds() { return retryAfterSeconds; }
}
