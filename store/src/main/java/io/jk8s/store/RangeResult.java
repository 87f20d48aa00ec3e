package io.jk8s.store;

import java.util.List;

/**
 * A page of a range read, consistent at {@code revision}.
 *
 * @param kvs      keys in ascending byte order
 * @param more     true when keys beyond the page exist (continue after the last key at the same revision)
 * @param revision the store revision the read was served at; pass it back to read the next page consistently
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long revision) {}
