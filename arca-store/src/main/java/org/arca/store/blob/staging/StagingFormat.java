package org.arca.store.blob.staging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import org.arca.store.blob.BlobId;

/**
 * The on-disk format of a staging pack, version 1. All integers are little-endian.
 *
 * <pre>
 * pack header, {@value #PACK_HEADER_SIZE} bytes:
 *   0  8  magic "ARCAPACK"
 *   8  4  format version (1)
 *   12 4  header size in bytes (32)
 *   16 8  pack number, the same as in the file name
 *   24 4  CRC32C of bytes 0 to 23
 *   28 4  zero
 * entries, each a {@value #ENTRY_HEADER_SIZE}-byte header and the blob's bytes:
 *   0  4  entry magic 0x454B5041 ("APKE" in file order)
 *   4  4  CRC32C of bytes 8 to 55
 *   8  8  pack number, the same as in the pack header
 *   16 8  length of the blob's bytes
 *   24 32 SHA-256 of the blob's bytes
 *   56 .. the blob's bytes
 * </pre>
 *
 * <p>An entry is valid when its header CRC matches, it names the pack it is in, its length fits in
 * the file, and its bytes hash to its SHA-256. Entries follow each other without gaps; the first
 * invalid entry ends the pack. A pack file is preallocated (zeros) or recycled from a pack whose
 * blobs were all written out; the pack number in each entry distinguishes a new entry from one left by the
 * previous use. Stateless.
 */
final class StagingFormat {

    static final byte[] PACK_MAGIC = "ARCAPACK".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int PACK_HEADER_SIZE = 32;
    static final int ENTRY_MAGIC = 0x454B5041;
    static final int ENTRY_HEADER_SIZE = 56;

    private StagingFormat() {
    }

    static ByteBuffer packHeader(long packNumber) {
        ByteBuffer header = ByteBuffer.allocate(PACK_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.put(PACK_MAGIC).putInt(FORMAT_VERSION).putInt(PACK_HEADER_SIZE).putLong(packNumber);
        header.putInt(crc(header.array(), 0, 24)).putInt(0);
        return header.flip();
    }

    /**
     * Checks a pack header and returns its pack number.
     *
     * @throws StagingFormatException if the magic, version, size or CRC is not what version 1 writes
     */
    static long readPackHeader(ByteBuffer header, String file) throws StagingFormatException {
        header.order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[PACK_MAGIC.length];
        if (header.limit() >= PACK_HEADER_SIZE) {
            header.get(0, magic);
        }
        if (!java.util.Arrays.equals(magic, PACK_MAGIC)) {
            throw new StagingFormatException(file + " is not an Arca staging pack: it does not start with "
                    + "the magic ARCAPACK");
        }
        int version = header.getInt(8);
        if (version != FORMAT_VERSION || header.getInt(12) != PACK_HEADER_SIZE) {
            throw new StagingFormatException(file + " has staging pack format version " + version
                    + ", which this Arca cannot read (it reads version " + FORMAT_VERSION + "): a newer Arca wrote "
                    + "it, or its header is damaged");
        }
        if (header.getInt(24) != crc(header.array(), header.arrayOffset(), 24)) {
            throw new StagingFormatException(file + " has a damaged staging pack header (CRC32C mismatch)");
        }
        return header.getLong(16);
    }

    static ByteBuffer entryHeader(long packNumber, BlobId id, long length) {
        ByteBuffer header = ByteBuffer.allocate(ENTRY_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(ENTRY_MAGIC).putInt(0).putLong(packNumber).putLong(length).put(id.toDigest());
        header.putInt(4, crc(header.array(), 8, ENTRY_HEADER_SIZE - 8));
        return header.flip();
    }

    /**
     * Returns the entry described by a header read at {@code offset} of pack {@code packNumber}, or
     * null if it is not a valid header of this pack.
     */
    static StagedLocation readEntryHeader(ByteBuffer header, long packNumber, long offset) {
        header.order(ByteOrder.LITTLE_ENDIAN);
        if (header.remaining() < ENTRY_HEADER_SIZE || header.getInt(0) != ENTRY_MAGIC
                || header.getInt(4) != crc(header.array(), header.arrayOffset() + 8, ENTRY_HEADER_SIZE - 8)
                || header.getLong(8) != packNumber) {
            return null;
        }
        long length = header.getLong(16);
        if (length < 0 || length > Integer.MAX_VALUE) {
            return null;
        }
        byte[] digest = new byte[BlobId.SHA256_LENGTH];
        header.get(24, digest);
        return new StagedLocation(BlobId.ofDigest(digest), offset, (int) length);
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
