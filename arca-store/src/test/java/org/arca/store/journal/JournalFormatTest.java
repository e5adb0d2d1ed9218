package org.arca.store.journal;

import static org.arca.store.journal.JournalTest.CLOCK;
import static org.arca.store.journal.JournalTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reader test per segment format version, with the bytes built by hand from the format
 * description (not by the code under test), plus the rejection of unknown versions and magic.
 */
class JournalFormatTest {

    private static final byte[] MAGIC = {'A', 'R', 'C', 'A', 'J', 'R', 'N', 0};
    private static final long CREATED_MILLIS = 1_764_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void version1SegmentIsRead() throws Exception {
        byte[] first = "first payload".getBytes(StandardCharsets.UTF_8);
        byte[] second = new byte[0];
        HandWritten v1 = new HandWritten(1, 1);
        byte[] hash1 = v1.addRecord(1, 1_764_000_000_001L, 10, new byte[32], first);
        byte[] hash2 = v1.addRecord(2, 1_764_000_000_002L, 0x7fff_0001, hash1, second);
        Files.write(dir.resolve("00000000000000000001.seg"), v1.bytes());

        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            assertThat(journal.recoveryReport().isClean()).isTrue();
            List<JournalRecord> records = readAll(journal, 1);

            assertThat(records).hasSize(2);
            assertRecord(records.get(0), 1, 1_764_000_000_001L, 10, new byte[32], first, hash1);
            assertRecord(records.get(1), 2, 1_764_000_000_002L, 0x7fff_0001, hash1, second, hash2);
            assertThat(journal.appendAndForce(3, new byte[] {1})).isEqualTo(3);
            assertThat(readAll(journal, 3).get(0).previousHash()).isEqualTo(hash2);
        }
    }

    @Test
    void writerProducesVersion1Bytes() throws Exception {
        byte[] payload = "stored".getBytes(StandardCharsets.UTF_8);
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            journal.appendAndForce(4, payload);
        }

        HandWritten expected = new HandWritten(1, 1, CLOCK.millis());
        expected.addRecord(1, CLOCK.millis(), 4, new byte[32], payload);
        byte[] written = Files.readAllBytes(dir.resolve("00000000000000000001.seg"));
        byte[] records = expected.bytes();
        assertThat(written).hasSize((int) JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES);
        assertThat(Arrays.copyOf(written, records.length)).isEqualTo(records);
        byte[] tail = Arrays.copyOfRange(written, records.length, written.length);
        assertThat(Arrays.equals(tail, new byte[tail.length])).as("the preallocated tail is all zeros").isTrue();
    }

    @Test
    void unknownVersionIsRejected() throws Exception {
        HandWritten v2 = new HandWritten(2, 1);
        v2.addRecord(1, 1, 1, new byte[32], new byte[4]);
        Files.write(dir.resolve("00000000000000000001.seg"), v2.bytes());

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("unsupported format version 2")
                .hasMessageContaining("00000000000000000001.seg");
    }

    @Test
    void unknownMagicIsRejected() throws Exception {
        HandWritten v1 = new HandWritten(1, 1);
        v1.addRecord(1, 1, 1, new byte[32], new byte[4]);
        byte[] bytes = v1.bytes();
        bytes[0] = 'X';
        Files.write(dir.resolve("00000000000000000001.seg"), bytes);

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                .isInstanceOf(JournalFormatException.class)
                .hasMessageContaining("unknown magic value 58524341")
                .hasMessageContaining("not an Arca journal segment");
    }

    private static void assertRecord(JournalRecord record, long sequence, long timestampMillis, int type,
            byte[] previousHash, byte[] payload, byte[] hash) {
        assertThat(record.sequence()).isEqualTo(sequence);
        assertThat(record.timestampMillis()).isEqualTo(timestampMillis);
        assertThat(record.type()).isEqualTo(type);
        assertThat(record.previousHash()).isEqualTo(previousHash);
        assertThat(record.payload()).isEqualTo(payload);
        assertThat(record.hash()).isEqualTo(hash);
    }

    /** Builds segment bytes field by field, following the layout documented in {@link JournalSegment}. */
    private static final class HandWritten {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        HandWritten(int version, long firstSequence) {
            this(version, firstSequence, CREATED_MILLIS);
        }

        HandWritten(int version, long firstSequence, long createdMillis) {
            ByteBuffer header = ByteBuffer.allocate(32);
            header.put(MAGIC).putInt(version).putLong(firstSequence).putLong(createdMillis);
            header.putInt(crc32c(header.array(), 0, 28));
            out.writeBytes(header.array());
        }

        byte[] addRecord(long sequence, long timestampMillis, int type, byte[] previousHash, byte[] payload)
                throws Exception {
            ByteBuffer body = ByteBuffer.allocate(8 + 8 + 4 + 32 + payload.length);
            body.putLong(sequence).putLong(timestampMillis).putInt(type).put(previousHash).put(payload);
            byte[] bodyBytes = body.array();

            ByteBuffer prefix = ByteBuffer.allocate(8);
            prefix.putInt(4 + bodyBytes.length).putInt(crc32c(bodyBytes, 0, bodyBytes.length));
            out.writeBytes(prefix.array());
            out.writeBytes(bodyBytes);
            return MessageDigest.getInstance("SHA-256").digest(bodyBytes);
        }

        byte[] bytes() {
            return Arrays.copyOf(out.toByteArray(), out.size());
        }

        private static int crc32c(byte[] bytes, int offset, int length) {
            CRC32C crc = new CRC32C();
            crc.update(bytes, offset, length);
            return (int) crc.getValue();
        }
    }
}
