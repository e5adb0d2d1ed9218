package org.arca.store.reconcile;

/** One instance version row of the index, as a reconciliation reads it. */
record IndexRow(long journalSequence, String sopInstanceUid, int version, String blobSha256, String sopClassUid,
        String instanceNumber, String transferSyntaxUid, String specificCharacterSet, long sizeBytes) {

    /** Returns true when the row names the same version and blob as the journal record. */
    boolean namesSameVersion(String otherSopInstanceUid, int otherVersion, String otherBlobSha256) {
        return sopInstanceUid.equals(otherSopInstanceUid) && version == otherVersion
                && blobSha256.equals(otherBlobSha256);
    }
}
