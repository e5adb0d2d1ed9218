package org.arca.store.reconcile;

/** The kinds of disagreement between the journal, the index and the blob store. */
public enum MismatchKind {

    /** An index row of an instance version that no INSTANCE_STORED journal record supports. */
    INDEX_ROW_UNSUPPORTED("index rows the journal does not support"),

    /** An INSTANCE_STORED journal record whose instance version is not in the index. */
    INDEX_ROW_MISSING("journal records missing from the index"),

    /** A blob that a journal record references and that is not in the blob store. */
    BLOB_MISSING("blobs missing (repair from a replica or backup)"),

    /** A blob that a journal record references and whose bytes do not hash to its SHA-256. */
    BLOB_CORRUPT("blobs failing their SHA-256 (repair from a replica or backup)"),

    /**
     * An open damage finding whose blob hashes to its SHA-256 again, such as a file that an operator
     * put back from a backup.
     */
    DAMAGE_FINDING_STALE("damage findings whose blob is intact again"),

    /** A blob that no journal record references, such as one left by a crash before its record. */
    BLOB_ORPHANED("blobs no journal record references"),

    /** An indexed attribute that differs between the stored object, the journal and the index. */
    ATTRIBUTE_MISMATCH("attributes that differ between stored object, journal and index");

    private final String heading;

    MismatchKind(String heading) {
        this.heading = heading;
    }

    /** Returns the plural heading under which a report groups mismatches of this kind. */
    public String heading() {
        return heading;
    }
}
