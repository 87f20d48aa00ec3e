package io.jk8s.store;

/** A read or watch asked for a revision older than the compaction point. Maps to HTTP 410 Gone. */
public class CompactedException extends StoreException {

    private final long compactRevision;

    public CompactedException(long requested, long compactRevision) {
        super("required revision " + requested + " has been compacted (compacted up to " + compactRevision + ")");
        this.compactRevision = compactRevision;
    }

    public long compactRevision() {
        return compactRevision;
    }
}
