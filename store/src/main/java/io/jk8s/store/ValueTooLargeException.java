package io.jk8s.store;

/** A value above {@link Store#MAX_VALUE_BYTES}: bad input, refused before anything is written (HTTP 413). */
public class ValueTooLargeException extends StoreException {

    public ValueTooLargeException(String key, int size) {
        super("value for " + key + " is " + size + " bytes, above the limit of " + Store.MAX_VALUE_BYTES + " bytes");
    }
}
