package io.jk8s.api.patch;

/**
 * A patch that cannot be applied: malformed, or inconsistent with the document. The message starts with
 * the path in the document where the problem was found (e.g. {@code spec.containers[0]: ...}), so the API
 * server can return it as is in a 400/422 response.
 */
public class PatchException extends RuntimeException {

    private final String path;

    public PatchException(String path, String message) {
        super(path == null || path.isEmpty() ? message : path + ": " + message);
        this.path = path == null ? "" : path;
    }

    /** Where the problem is, in the document or the patch; "" for the root. */
    public String path() {
        return path;
    }
}
