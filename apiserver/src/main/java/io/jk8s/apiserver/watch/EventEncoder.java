package io.jk8s.apiserver.watch;

/** Turns cache events into the bytes of one watch stream (JSON lines, Table rows ...). */
public interface EventEncoder {

    /** {@code type} is ADDED, MODIFIED, DELETED. */
    byte[] event(String type, CachedObject object);

    /** A BOOKMARK carrying only the revision (and, for the end of initial events, the annotation). */
    byte[] bookmark(long revision, boolean initialEventsEnd);

    /** An ERROR event with a Status. */
    byte[] error(com.fasterxml.jackson.databind.node.ObjectNode status);
}
