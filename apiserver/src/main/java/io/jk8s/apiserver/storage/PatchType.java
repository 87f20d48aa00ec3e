package io.jk8s.apiserver.storage;

import io.jk8s.api.ApiException;

/** The patch formats, by request Content-Type. */
public enum PatchType {
    JSON("application/json-patch+json"),
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    APPLY("application/apply-patch+yaml");

    public final String mediaType;

    PatchType(String mediaType) {
        this.mediaType = mediaType;
    }

    public static PatchType of(String contentType) {
        String ct = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        for (PatchType t : values()) {
            if (t.mediaType.equals(ct)) return t;
        }
        throw ApiException.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
    }
}
