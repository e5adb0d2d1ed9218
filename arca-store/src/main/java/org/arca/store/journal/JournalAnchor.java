package org.arca.store.journal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The chain state that a compacted journal continues: a record that is no longer in the journal, or
 * is its first retained part, named by sequence and SHA-256. A checkpoint manifest provides it.
 *
 * <p>A journal whose first retained record has sequence {@code F > 1} opens only with an anchor
 * for which {@code F - 1 <= sequence <= last sequence}. When {@code sequence == F - 1}, the first
 * record must carry {@code sha256} as its previous hash; otherwise the retained record at
 * {@code sequence} must hash to {@code sha256}. Either way the retained chain commits to the anchor.
 *
 * @param sequence the journal sequence of the anchoring record
 * @param sha256 the SHA-256 of that record (32 bytes)
 */
public record JournalAnchor(long sequence, byte[] sha256) {

    public JournalAnchor {
        Objects.requireNonNull(sha256, "sha256");
        if (sequence < 1) {
            throw new IllegalArgumentException("A journal anchor needs a sequence of 1 or more, not " + sequence);
        }
        if (sha256.length != JournalSegment.HASH_SIZE) {
            throw new IllegalArgumentException("A journal anchor needs a " + JournalSegment.HASH_SIZE
                    + "-byte SHA-256, not " + sha256.length + " bytes");
        }
        sha256 = sha256.clone();
    }

    /** Returns the anchor for a SHA-256 given as 64 hex digits, as checkpoint manifests store it. */
    public static JournalAnchor ofHex(long sequence, String sha256Hex) {
        return new JournalAnchor(sequence, HexFormat.of().parseHex(sha256Hex));
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalAnchor anchor && anchor.sequence == sequence
                && Arrays.equals(anchor.sha256, sha256);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "sequence " + sequence + " (SHA-256 " + HexFormat.of().formatHex(sha256) + ")";
    }
}
