package io.jk8s.store;

import java.util.Optional;

/**
 * Outcome of a conditional write. A failed precondition is an expected outcome, not an exception:
 * the API server turns it into 409 Conflict / 404 NotFound / AlreadyExists, or retries.
 */
public sealed interface WriteResult {

    /** The write happened; {@code kv} is the new version (for a delete: the deleted value, modRevision = the delete's revision). */
    record Ok(KeyValue kv) implements WriteResult {}

    /** The precondition did not hold; {@code current} is the key's latest version, empty when absent. */
    record Failed(Optional<KeyValue> current) implements WriteResult {}

    default boolean succeeded() {
        return this instanceof Ok;
    }
}
