package org.arca.store.blob;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The address of a blob: the SHA-256 of its bytes as 64 lowercase hexadecimal digits. Immutable
 * and safe for concurrent use.
 */
public final class BlobId implements Comparable<BlobId> {

    /** The length of a SHA-256 in bytes. */
    public static final int SHA256_LENGTH = 32;

    private static final int HEX_LENGTH = 2 * SHA256_LENGTH;

    private final String hex;

    private BlobId(String hex) {
        this.hex = hex;
    }

    /**
     * Parses a blob id from 64 hexadecimal digits; upper case is accepted and normalised.
     *
     * @throws IllegalArgumentException if {@code hex} is not 64 hexadecimal digits
     */
    public static BlobId of(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (!isValid(hex)) {
            throw new IllegalArgumentException("Invalid blob id '" + hex
                    + "': expected the SHA-256 as 64 hexadecimal digits");
        }
        return new BlobId(hex.toLowerCase(java.util.Locale.ROOT));
    }

    /** Creates a blob id from a 32-byte SHA-256 digest. */
    public static BlobId ofDigest(byte[] sha256) {
        if (sha256.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("Invalid SHA-256 digest length " + sha256.length
                    + ": expected " + SHA256_LENGTH + " bytes");
        }
        return new BlobId(HexFormat.of().formatHex(sha256));
    }

    /** Checks whether {@code text} is 64 hexadecimal digits, without throwing. */
    public static boolean isValid(String text) {
        if (text == null || text.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns the 64 lowercase hexadecimal digits. */
    public String hex() {
        return hex;
    }

    public byte[] toDigest() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public int compareTo(BlobId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && hex.equals(other.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return hex;
    }
}
