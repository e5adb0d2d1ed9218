package org.arca.store.blob.staging;

import java.io.IOException;
import org.arca.store.blob.BlobId;

/**
 * A staged blob whose bytes no longer hash to its id: the disk changed them after they were forced.
 * Writing it out again cannot succeed, so the write-out reports it once and stops trying.
 */
public final class StagedBlobDamagedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient BlobId id;
    private final transient BlobId actual;

    public StagedBlobDamagedException(BlobId id, BlobId actual) {
        super("The staged copy of blob " + id + " hashes to " + actual + ": it was damaged after it was forced. "
                + "Its SOP Instance must be restored from another copy or sent again.");
        this.id = id;
        this.actual = actual;
    }

    /** Returns the id, the SHA-256 that the bytes had when they were staged. */
    public BlobId id() {
        return id;
    }

    /** Returns the SHA-256 of the bytes read back from the pack. */
    public BlobId actual() {
        return actual;
    }
}
