package org.arca.store.verify;

/**
 * What a verification checked and how many problems it found.
 *
 * @param journalSegments journal segment files read
 * @param journalRecords journal records whose CRC32C, sequence and chain were checked
 * @param lastSequence the last journal sequence found
 * @param storedVersions instance versions the journal names
 * @param blobsChecked blobs named by the journal that were rehashed
 * @param blobBytes bytes rehashed for those blobs
 * @param unreferencedBlobs blobs no journal record names (never acknowledged), also rehashed
 * @param unreferencedBytes bytes of those blobs
 * @param problems mismatches and defects found; 0 means the data directory verified
 */
public record VerifyReport(int journalSegments, long journalRecords, long lastSequence, long storedVersions,
        long blobsChecked, long blobBytes, long unreferencedBlobs, long unreferencedBytes, long problems) {

    public boolean isOk() {
        return problems == 0;
    }

    /** Collects counts while a verification runs; not thread-safe. */
    static final class Builder {
        private int journalSegments;
        private long journalRecords;
        private long lastSequence;
        private long storedVersions;
        private long blobsChecked;
        private long blobBytes;
        private long unreferencedBlobs;
        private long unreferencedBytes;
        private long problems;

        void journal(int segments, long records, long last) {
            journalSegments = segments;
            journalRecords = records;
            lastSequence = last;
        }

        void storedVersion() {
            storedVersions++;
        }

        void blobChecked(long bytes) {
            blobsChecked++;
            blobBytes += bytes;
        }

        void unreferencedBlob(long bytes) {
            unreferencedBlobs++;
            unreferencedBytes += bytes;
        }

        void problem() {
            problems++;
        }

        VerifyReport build() {
            return new VerifyReport(journalSegments, journalRecords, lastSequence, storedVersions, blobsChecked,
                    blobBytes, unreferencedBlobs, unreferencedBytes, problems);
        }
    }
}
