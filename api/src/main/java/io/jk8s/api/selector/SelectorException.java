package io.jk8s.api.selector;

/** A label or field selector that cannot be parsed or is invalid; the message names the bad part. */
public class SelectorException extends IllegalArgumentException {

    public SelectorException(String message) {
        super(message);
    }
}
