package io.jk8s.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.apiserver.http.ApiRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet request behind a pod subresource request, with upstream's rules (pod strategy's
 * LogLocation / streamLocation / PortForwardLocation): which container, which kubelet path, which
 * query parameters.
 */
final class KubeletPaths {

    private KubeletPaths() {}

    /** The container a request addresses: the named one (must exist), else the pod's only container. */
    static String container(JsonNode pod, String requested) {
        String name = pod.path("metadata").path("name").asText();
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> inits = names(pod.path("spec").path("initContainers"));
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) return containers.get(0);
            if (containers.isEmpty()) throw ApiException.badRequest("a container name must be specified for pod " + name);
            String msg = "a container name must be specified for pod " + name + ", choose one of: [" + String.join(" ", containers) + "]";
            if (!inits.isEmpty()) msg += " or one of the init containers: [" + String.join(" ", inits) + "]";
            throw ApiException.badRequest(msg);
        }
        if (!containers.contains(requested) && !inits.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : list) out.add(c.path("name").asText());
        return out;
    }

    /** {@code /containerLogs/ns/pod/container?...} after validating the PodLogOptions (422 naming the field). */
    static String logs(String ns, String pod, String container, ApiRequest req) {
        List<FieldError> errors = new ArrayList<>();
        Query q = new Query();
        if (bool(req, "follow")) q.add("follow", "true");
        if (bool(req, "previous")) q.add("previous", "true");
        if (bool(req, "timestamps")) q.add("timestamps", "true");
        Long since = number(req, "sinceSeconds");
        if (since != null && since < 1) errors.add(FieldError.invalid("sinceSeconds", since, "must be greater than 0"));
        String sinceTime = req.param("sinceTime");
        if (since != null && sinceTime != null) {
            errors.add(FieldError.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        if (since != null) q.add("sinceSeconds", since.toString());
        if (sinceTime != null) {
            try {
                q.add("sinceTime", java.time.OffsetDateTime.parse(sinceTime).toInstant().toString());
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest("sinceTime: invalid value \"" + sinceTime + "\": must be an RFC 3339 time");
            }
        }
        Long tail = number(req, "tailLines");
        if (tail != null && tail < 0) errors.add(FieldError.invalid("tailLines", tail, "must be greater than or equal to 0"));
        if (tail != null) q.add("tailLines", tail.toString());
        Long limit = number(req, "limitBytes");
        if (limit != null && limit < 1) errors.add(FieldError.invalid("limitBytes", limit, "must be greater than 0"));
        if (limit != null) q.add("limitBytes", limit.toString());
        if (!errors.isEmpty()) throw ApiException.invalid("", "PodLogOptions", pod, errors);
        return "/containerLogs/" + ns + "/" + pod + "/" + container + q;
    }

    /**
     * {@code /exec|attach/ns/pod/container?...} with the parameter names upstream's kubelet reads
     * (input/output/error/tty=1), so the API server works with any kubelet that speaks upstream's API.
     */
    static String exec(String kind, String ns, String pod, String container, ApiRequest req) {
        Query q = new Query();
        for (String[] p : new String[][]{{"stdin", "input"}, {"stdout", "output"}, {"stderr", "error"}, {"tty", "tty"}}) {
            if (bool(req, p[0])) q.add(p[1], "1");
        }
        if (kind.equals("exec")) {
            List<String> command = req.query().getOrDefault("command", List.of());
            for (String c : command) q.add("command", c);
        }
        return "/" + kind + "/" + ns + "/" + pod + "/" + container + q;
    }

    /** {@code /portForward/ns/pod?port=80,8080}. */
    static String portForward(String ns, String pod, ApiRequest req) {
        Query q = new Query();
        List<String> ports = req.query().getOrDefault("ports", List.of());
        List<String> all = new ArrayList<>();
        for (String p : ports) {
            for (String one : p.split(",")) {
                if (one.isBlank()) continue;
                try {
                    int n = Integer.parseInt(one.trim());
                    if (n < 1 || n > 65535) throw new NumberFormatException();
                    all.add(Integer.toString(n));
                } catch (NumberFormatException e) {
                    throw ApiException.badRequest("ports: invalid value \"" + one + "\": must be a port number between 1 and 65535");
                }
            }
        }
        if (!all.isEmpty()) q.add("port", String.join(",", all));
        return "/portForward/" + ns + "/" + pod + q;
    }

    /** Go's strconv.ParseBool, as the parameter codec reads booleans; bad values are 400. */
    private static boolean bool(ApiRequest req, String name) {
        String v = req.param(name);
        if (v == null) return false;
        return switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "", "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw ApiException.badRequest(name + ": invalid value \"" + v + "\": must be a boolean");
        };
    }

    private static Long number(ApiRequest req, String name) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": invalid value \"" + v + "\": must be an integer");
        }
    }

    /** An encoded query string, "" when empty. */
    private static final class Query {
        private final StringBuilder sb = new StringBuilder();

        void add(String k, String v) {
            sb.append(sb.isEmpty() ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
