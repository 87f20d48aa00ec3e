package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code meta/v1 DeleteOptions} the server acts on.
 *
 * @param gracePeriodSeconds null = the object's default
 * @param propagationPolicy  Orphan, Background or Foreground (recorded; the garbage collector acts on it)
 */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion, boolean dryRun) {

    public static final DeleteOptions DEFAULT = new DeleteOptions(null, null, null, null, false);

    /** From a request body (may be null/empty) and query parameters (which the body overrides). */
    public static DeleteOptions from(JsonNode body, String graceParam, String policyParam, boolean dryRunParam) {
        Long grace = graceParam == null ? null : Long.parseLong(graceParam);
        String policy = policyParam;
        String uid = null;
        String rv = null;
        boolean dryRun = dryRunParam;
        if (body != null && body.isObject()) {
            if (body.hasNonNull("gracePeriodSeconds")) grace = body.get("gracePeriodSeconds").asLong();
            if (body.hasNonNull("propagationPolicy")) policy = body.get("propagationPolicy").asText();
            if (body.hasNonNull("orphanDependents") && policy == null) {
                policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
            }
            JsonNode pre = body.path("preconditions");
            if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
            if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
            for (JsonNode d : body.path("dryRun")) {
                if ("All".equals(d.asText())) dryRun = true;
            }
        }
        return new DeleteOptions(grace, policy, uid, rv, dryRun);
    }
}
