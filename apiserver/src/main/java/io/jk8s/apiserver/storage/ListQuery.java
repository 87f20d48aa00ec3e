package io.jk8s.apiserver.storage;

import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ApiRequest;
import io.jk8s.api.selector.FieldSelector;
import io.jk8s.api.selector.LabelSelector;

/** The list/watch query parameters of a request, parsed and checked. */
public record ListQuery(LabelSelector labels, FieldSelector fields, long limit, String continueToken,
                        String resourceVersion, String resourceVersionMatch, boolean watch,
                        boolean allowBookmarks, Long timeoutSeconds, boolean sendInitialEvents) {

    public static ListQuery of(ApiRequest r) {
        try {
            LabelSelector labels = LabelSelector.parse(r.param("labelSelector"));
            FieldSelector fields = FieldSelector.parse(r.param("fieldSelector"));
            long limit = r.param("limit") == null ? 0 : Long.parseLong(r.param("limit"));
            Long timeout = r.param("timeoutSeconds") == null ? null : Long.parseLong(r.param("timeoutSeconds"));
            String rv = r.param("resourceVersion");
            String match = r.param("resourceVersionMatch");
            if (match != null && !match.isEmpty() && !match.equals("NotOlderThan") && !match.equals("Exact")) {
                throw ApiException.badRequest("resourceVersionMatch: Unsupported value: \"" + match + "\"");
            }
            if (rv != null && !rv.isEmpty()) {
                long v = Long.parseLong(rv);
                if (v < 0) throw new NumberFormatException();
            }
            String cont = r.param("continue");
            if (cont != null && cont.isEmpty()) cont = null;
            return new ListQuery(labels, fields, Math.max(0, limit), cont, rv == null || rv.isEmpty() ? null : rv,
                    match == null || match.isEmpty() ? null : match, r.flag("watch"), r.flag("allowWatchBookmarks"),
                    timeout, r.flag("sendInitialEvents"));
        } catch (ApiException e) {
            throw e;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid number in list options: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
        }
    }

    public long revisionOrZero() {
        return resourceVersion == null ? 0 : Long.parseLong(resourceVersion);
    }
}
