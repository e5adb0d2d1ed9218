package org.arca.store.journal;

import java.util.HexFormat;

/**
 * One record of the journal as read back.
 *
 * @param sequence the record's number: 1 for the first record, then strictly +1
 * @param timestampMillis when the writer appended it, epoch milliseconds from the journal's clock
 * @param type the record type code given by the caller of {@link Journal#appendAndForce}
 * @param payload the caller's bytes, unchanged
 * @param previousHash the SHA-256 of the previous record (32 zero bytes for sequence 1)
 * @param hash the SHA-256 of this record, as the next record carries it
 */
public record JournalRecord(long sequence, long timestampMillis, int type, byte[] payload,
        byte[] previousHash, byte[] hash) {

    @Override
    public String toString() {
        return "JournalRecord[sequence=" + sequence + ", timestampMillis=" + timestampMillis + ", type=" + type
                + ", payloadBytes=" + payload.length + ", hash=" + HexFormat.of().formatHex(hash) + "]";
    }
}
