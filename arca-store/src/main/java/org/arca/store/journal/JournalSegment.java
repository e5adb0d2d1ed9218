package org.arca.store.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The on-disk format of a journal segment file {@code journal/<first sequence>.seg}, where the
 * first sequence is written with 20 zero-padded decimal digits so that names sort like numbers.
 * All integers are big-endian.
 *
 * <pre>
 * Segment header, 32 bytes:
 *   offset  size  field
 *        0     8  magic "ARCAJRN\0" (41 52 43 41 4A 52 4E 00)
 *        8     4  format version (int)
 *       12     8  sequence of the first record in this segment (equals the file name)
 *       20     8  creation time of the segment, epoch milliseconds
 *       28     4  CRC32C of bytes 0..27
 *
 * Records follow back to back from offset 32. One record:
 *        0     4  length: the number of bytes after this field (56 + payload length)
 *        4     4  CRC32C of the bytes after this field (offset 8 to the end of the record)
 *        8     8  sequence: 1 for the first record ever, then strictly +1, across segments
 *       16     8  timestamp, epoch milliseconds
 *       24     4  record type code (the journal does not interpret it)
 *       28    32  SHA-256 of the previous record; 32 zero bytes for sequence 1
 *       60     n  payload (the journal does not interpret it), at most 16 MiB
 * </pre>
 *
 * <p>The SHA-256 of a record, which the next record carries, is computed over the same bytes as its
 * CRC32C (offset 8 to the end). The chain makes a removed, reordered or rewritten record evident;
 * the CRC detects torn and damaged bytes.
 *
 * <p>Preallocation: the writer creates each segment at its full size ({@link
 * JournalOptions#segmentSizeBytes()}), the header followed by zeros written with large writes and
 * fsynced together with the directory. Records then overwrite blocks that are already allocated,
 * so forcing an append ({@code fdatasync}) does not change the file size and commits no file
 * system metadata. The records of a segment therefore end at the first offset from which every
 * byte up to the end of the file is zero: a zero length field cannot start a record, because the
 * smallest length is 56. A zero-filled tail is the normal state of a segment and is not a defect.
 * Bytes that are neither a record nor zeros are a torn tail or damage, as before. The format
 * itself is unchanged: a segment written before preallocation (which ends at its last record)
 * and a preallocated one are both version 1.
 *
 * <p>Version history (readers reject any version not listed here):
 * <ul>
 *   <li>1: the format above (Arca 0.1).
 * </ul>
 *
 * <p>Thread-safety: stateless, safe for concurrent use.
 */
public final class JournalSegment {

    /** The magic value at offset 0 of every segment. */
    static final byte[] MAGIC = {'A', 'R', 'C', 'A', 'J', 'R', 'N', 0};

    /** The format version that this code writes. */
    public static final int CURRENT_VERSION = 1;

    public static final int HEADER_SIZE = 32;

    static final int LENGTH_FIELD_SIZE = 4;

    /** The bytes of a record after the length field, without the payload. */
    static final int FIXED_BODY_SIZE = 4 + 8 + 8 + 4 + 32;

    /** The largest payload of one record, checked before a reader allocates it. */
    public static final int MAX_PAYLOAD_SIZE = 16 * 1024 * 1024;

    static final int MIN_LENGTH = FIXED_BODY_SIZE;
    static final int MAX_LENGTH = FIXED_BODY_SIZE + MAX_PAYLOAD_SIZE;

    /** The smallest encoded record in bytes. */
    static final int MIN_RECORD_SIZE = LENGTH_FIELD_SIZE + MIN_LENGTH;

    static final int HASH_SIZE = 32;

    private static final String SUFFIX = ".seg";

    /** Zeros to compare against; read-only, so that concurrent slices are safe. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(64 * 1024).asReadOnlyBuffer();
    private static final Pattern FILE_NAME = Pattern.compile("(\\d{20})\\.seg");

    private JournalSegment() {
    }

    /** Returns the file name of the segment whose first record has {@code firstSequence}. */
    public static String fileName(long firstSequence) {
        return String.format("%020d", firstSequence) + SUFFIX;
    }

    /** Parses the first sequence from a segment file name, or returns empty if it is not one. */
    static OptionalLong parseFileName(String name) {
        Matcher matcher = FILE_NAME.matcher(name);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(matcher.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Encodes the header of a new segment in the current format version. */
    static ByteBuffer encodeHeader(long firstSequence, long creationTimeMillis) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.put(MAGIC);
        header.putInt(CURRENT_VERSION);
        header.putLong(firstSequence);
        header.putLong(creationTimeMillis);
        header.putInt(crc32c(header.array(), 0, HEADER_SIZE - 4));
        return header.flip();
    }

    /**
     * Reads and validates the header at the start of {@code segment}.
     *
     * @throws JournalFormatException if the magic value or the format version is unknown
     * @throws JournalCorruptionException if the header CRC does not match
     */
    static SegmentHeader readHeader(ByteBuffer segment, Path path)
            throws JournalFormatException, JournalCorruptionException {
        if (!hasMagic(segment)) {
            byte[] magic = new byte[MAGIC.length];
            segment.get(0, magic);
            throw new JournalFormatException(path, "unknown magic value " + java.util.HexFormat.of().formatHex(magic)
                    + " (expected " + java.util.HexFormat.of().formatHex(MAGIC) + "): this is not an Arca journal segment");
        }

        int version = segment.getInt(8);
        if (version != 1) {
            throw new JournalFormatException(path, "unsupported format version " + version
                    + " (this Arca reads version 1): open it with the Arca release that wrote it");
        }

        if (!headerCrcMatches(segment)) {
            throw new JournalCorruptionException(path, 0, -1, "the segment header CRC32C does not match");
        }
        return new SegmentHeader(version, segment.getLong(12), segment.getLong(20));
    }

    static boolean hasMagic(ByteBuffer segment) {
        byte[] magic = new byte[MAGIC.length];
        segment.get(0, magic);
        return Arrays.equals(magic, MAGIC);
    }

    static boolean headerCrcMatches(ByteBuffer segment) {
        byte[] header = new byte[HEADER_SIZE];
        segment.get(0, header);
        return crc32c(header, 0, HEADER_SIZE - 4) == segment.getInt(HEADER_SIZE - 4);
    }

    /** Returns the encoded size in bytes of a record with a payload of {@code payloadLength}. */
    static int recordSize(int payloadLength) {
        return LENGTH_FIELD_SIZE + FIXED_BODY_SIZE + payloadLength;
    }

    /**
     * Encodes one record at the position of {@code target} and advances it.
     *
     * @return the SHA-256 of the record, which the next record carries as its previous hash
     */
    static byte[] encodeRecord(ByteBuffer target, long sequence, long timestampMillis, int type,
            byte[] previousHash, byte[] payload) {
        int start = target.position();
        target.putInt(FIXED_BODY_SIZE + payload.length);
        target.putInt(0);
        target.putLong(sequence);
        target.putLong(timestampMillis);
        target.putInt(type);
        target.put(previousHash);
        target.put(payload);

        ByteBuffer body = target.duplicate().position(start + 8).limit(target.position());
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        target.putInt(start + 4, (int) crc.getValue());
        return sha256(body);
    }

    /**
     * Parses the record at {@code offset} of {@code segment}, whose limit is the end of the readable
     * bytes. Returns either the record or the defect found there; never throws for bad bytes.
     */
    static ParsedRecord parseRecord(ByteBuffer segment, long offset) {
        int position = Math.toIntExact(offset);
        int remaining = segment.limit() - position;
        if (remaining < LENGTH_FIELD_SIZE) {
            return ParsedRecord.defect(zeroOr(segment, position, JournalDefect.TORN_LENGTH), 0);
        }

        int length = segment.getInt(position);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return ParsedRecord.defect(zeroOr(segment, position, JournalDefect.INVALID_LENGTH), 0);
        }
        if (remaining - LENGTH_FIELD_SIZE < length) {
            return ParsedRecord.defect(JournalDefect.TORN_BODY, length);
        }

        ByteBuffer body = segment.duplicate().position(position + 8).limit(position + LENGTH_FIELD_SIZE + length);
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        if ((int) crc.getValue() != segment.getInt(position + 4)) {
            return ParsedRecord.defect(JournalDefect.BAD_CRC, length);
        }
        return ParsedRecord.of(decodeBody(body, offset, length));
    }

    /**
     * Checks cheaply whether a record could start at {@code offset} with a sequence in
     * [{@code minSequence}, {@code maxSequence}], then verifies its CRC. Used to find good records
     * after a defect; the sequence check keeps the scan of random bytes from computing CRCs.
     */
    static boolean isGoodRecordAt(ByteBuffer segment, int offset, long minSequence, long maxSequence) {
        if (segment.limit() - offset < MIN_RECORD_SIZE) {
            return false;
        }
        int length = segment.getInt(offset);
        if (length < MIN_LENGTH || length > MAX_LENGTH || segment.limit() - offset - LENGTH_FIELD_SIZE < length) {
            return false;
        }
        long sequence = segment.getLong(offset + 8);
        if (sequence < minSequence || sequence > maxSequence) {
            return false;
        }
        return parseRecord(segment, offset).record() != null;
    }

    private static JournalRecordAt decodeBody(ByteBuffer body, long offset, int length) {
        byte[] hash = sha256(body.duplicate());
        long sequence = body.getLong();
        long timestampMillis = body.getLong();
        int type = body.getInt();
        byte[] previousHash = new byte[HASH_SIZE];
        body.get(previousHash);
        byte[] payload = new byte[length - FIXED_BODY_SIZE];
        body.get(payload);
        JournalRecord record = new JournalRecord(sequence, timestampMillis, type, payload, previousHash, hash);
        return new JournalRecordAt(record, offset, LENGTH_FIELD_SIZE + length);
    }

    /** Reports {@link JournalDefect#ZERO_FILLED_TAIL} instead of {@code defect} if every remaining byte is zero. */
    private static JournalDefect zeroOr(ByteBuffer segment, int position, JournalDefect defect) {
        return isZero(segment, position, segment.limit()) ? JournalDefect.ZERO_FILLED_TAIL : defect;
    }

    /** Returns whether the length field at {@code offset} is zero, or cut short by the limit and all zero. */
    static boolean hasZeroLengthAt(ByteBuffer segment, long offset) {
        int position = Math.toIntExact(offset);
        int end = Math.min(segment.limit(), position + LENGTH_FIELD_SIZE);
        return isZero(segment, position, end);
    }

    /** Returns whether every byte of {@code bytes} in [{@code from}, {@code to}) is zero. */
    static boolean isZero(ByteBuffer bytes, int from, int to) {
        for (int at = from; at < to; at += ZEROS.capacity()) {
            int length = Math.min(ZEROS.capacity(), to - at);
            if (bytes.slice(at, length).mismatch(ZEROS.slice(0, length)) != -1) {
                return false;
            }
        }
        return true;
    }

    /** Returns the offset after the last non-zero byte of {@code bytes} in [{@code from}, {@code to}), or {@code from}. */
    static int endOfNonZeroBytes(ByteBuffer bytes, int from, int to) {
        int end = to;
        while (end > from) {
            int start = Math.max(from, end - ZEROS.capacity());
            if (!isZero(bytes, start, end)) {
                for (int i = end - 1; i >= start; i--) {
                    if (bytes.get(i) != 0) {
                        return i + 1;
                    }
                }
            }
            end = start;
        }
        return from;
    }

    static int crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    static byte[] sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }

    /** The fields of a segment header. */
    record SegmentHeader(int version, long firstSequence, long creationTimeMillis) {
    }

    /** A record and where it sits in its segment. */
    record JournalRecordAt(JournalRecord record, long offset, int size) {

        long end() {
            return offset + size;
        }
    }

    /** Either a record or the defect found where one was expected. */
    record ParsedRecord(JournalRecordAt record, JournalDefect defect, int length) {

        static ParsedRecord of(JournalRecordAt record) {
            return new ParsedRecord(record, null, 0);
        }

        /** {@code length} is the record length field if it was plausible, else 0. */
        static ParsedRecord defect(JournalDefect defect, int length) {
            return new ParsedRecord(null, defect, length);
        }
    }
}
