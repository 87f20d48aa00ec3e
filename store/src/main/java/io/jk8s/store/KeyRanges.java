package io.jk8s.store;

/** Prefix arithmetic shared by the store implementations. */
public final class KeyRanges {

    private KeyRanges() {}

    /**
     * The smallest key greater than every key starting with {@code prefix}, in UTF-8 byte order
     * (etcd's "range end" for a prefix), or null when no such bound exists (empty prefix, or a last
     * character that cannot be incremented): callers then filter with {@link String#startsWith}.
     */
    public static String prefixEnd(String prefix) {
        if (prefix.isEmpty()) {
            return null;
        }
        char last = prefix.charAt(prefix.length() - 1);
        // Incrementing a BMP code point keeps UTF-8 order; surrogates and U+FFFF do not increment cleanly.
        if (Character.isSurrogate(last) || last == Character.MAX_VALUE || Character.isSurrogate((char) (last + 1))) {
            return null;
        }
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }

    /** The first key a range over {@code prefix} starting at {@code fromKey} (inclusive, nullable) reads. */
    public static String rangeStart(String prefix, String fromKey) {
        return fromKey == null || fromKey.compareTo(prefix) < 0 ? prefix : fromKey;
    }
}
