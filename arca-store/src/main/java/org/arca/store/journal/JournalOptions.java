package org.arca.store.journal;

import java.nio.file.Path;

/**
 * Settings of a journal. None of them weakens durability: every acknowledged append is forced.
 *
 * @param segmentSizeBytes the size at which the writer starts a new segment; a single record larger
 *     than this still fits into a segment of its own
 * @param maxBatchBytes the most bytes that one group commit writes before it forces
 * @param quarantineCorruptSegments if true, recovery copies a corrupt segment (and every later one) to
 *     the quarantine directory and cuts the journal at the defect instead of refusing to open;
 *     records after the defect are then no longer in the journal
 * @param quarantineDirectory where quarantined segments go; null means {@code quarantine/} beside the
 *     journal directory
 */
public record JournalOptions(long segmentSizeBytes, int maxBatchBytes, boolean quarantineCorruptSegments,
        Path quarantineDirectory) {

    public static final long DEFAULT_SEGMENT_SIZE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

    /** Recovery and verification read a whole segment into the heap, which bounds its size. */
    public static final long MAX_SEGMENT_SIZE_BYTES = 256L * 1024 * 1024;

    public JournalOptions {
        if (segmentSizeBytes < JournalSegment.HEADER_SIZE + JournalSegment.MIN_RECORD_SIZE
                || segmentSizeBytes > MAX_SEGMENT_SIZE_BYTES) {
            throw new IllegalArgumentException("Invalid journal segment size " + segmentSizeBytes
                    + " bytes: expected " + (JournalSegment.HEADER_SIZE + JournalSegment.MIN_RECORD_SIZE)
                    + " to " + MAX_SEGMENT_SIZE_BYTES);
        }
        if (maxBatchBytes < JournalSegment.MIN_RECORD_SIZE) {
            throw new IllegalArgumentException("Invalid journal batch size " + maxBatchBytes
                    + " bytes: expected at least " + JournalSegment.MIN_RECORD_SIZE);
        }
    }

    public static JournalOptions defaults() {
        return new JournalOptions(DEFAULT_SEGMENT_SIZE_BYTES, DEFAULT_MAX_BATCH_BYTES, false, null);
    }

    public JournalOptions withSegmentSizeBytes(long sizeBytes) {
        return new JournalOptions(sizeBytes, maxBatchBytes, quarantineCorruptSegments, quarantineDirectory);
    }

    public JournalOptions withMaxBatchBytes(int sizeBytes) {
        return new JournalOptions(segmentSizeBytes, sizeBytes, quarantineCorruptSegments, quarantineDirectory);
    }

    public JournalOptions withQuarantine(Path directory) {
        return new JournalOptions(segmentSizeBytes, maxBatchBytes, true, directory);
    }

    Path quarantineDirectoryFor(Path journalDirectory) {
        if (quarantineDirectory != null) {
            return quarantineDirectory;
        }
        return journalDirectory.toAbsolutePath().resolveSibling("quarantine");
    }
}
