package org.arca.store.journal;

/** The kinds of defect that a scan can find at an offset of a journal segment. */
public enum JournalDefect {
    /** Fewer than 4 bytes remain where a record length was expected. */
    TORN_LENGTH,
    /** The record length is outside [56, 56 + 16 MiB]: the bytes are not a record. */
    INVALID_LENGTH,
    /** The length is plausible but the file ends before the record does. */
    TORN_BODY,
    /** The record is complete but its CRC32C does not match its bytes. */
    BAD_CRC,
    /**
     * Every byte from here to the end of the segment is zero. This is where the records of a
     * preallocated segment end, so scans stop here and report no problem; it is never a cut reason.
     */
    ZERO_FILLED_TAIL,
    /** The record's CRC is good but its sequence is not the previous one + 1. */
    SEQUENCE_GAP,
    /** The record's CRC is good but it does not carry the SHA-256 of the previous record. */
    BROKEN_CHAIN,
    /** The segment is shorter than its header, or its header is all zeros. */
    TORN_HEADER,
    /** The segment header is complete but invalid (CRC, or first sequence differs from the file name). */
    BAD_HEADER;

    /** Returns whether a crash during an append can leave this defect at the end of the last segment. */
    boolean canBeTornWrite() {
        return this != SEQUENCE_GAP && this != BROKEN_CHAIN && this != BAD_HEADER;
    }
}
