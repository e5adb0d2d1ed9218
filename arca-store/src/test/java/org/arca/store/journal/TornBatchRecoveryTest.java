package org.arca.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery of a batch whose sectors a power loss persisted only in part: a good record can then
 * follow the defect. The power-loss test found a journal that refused to open in this state.
 */
class TornBatchRecoveryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:15:30Z"), ZoneOffset.UTC);
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(64 * 1024);

    @TempDir
    Path dir;

    @Test
    void tornBatchWithLaterRecordIsCut() throws Exception {
        Path segment = writeTornBatch(true);

        try (Journal journal = Journal.open(dir, CLOCK, OPTIONS)) {
            RecoveryReport report = journal.recoveryReport();
            assertThat(journal.lastSequence()).as("last sequence after recovery").isEqualTo(1);
            assertThat(report.cuts()).as("cuts").hasSize(1);
            assertThat(report.cuts().get(0).segment()).isEqualTo(segment);
            assertThat(journal.verify().problems()).as("problems after recovery").isEmpty();
            assertThat(journal.appendAndForce(1, payload(2))).as("sequence of the next append").isEqualTo(2);
        }
    }

    @Test
    void flippedBytesBeforeLaterRecordAreRefused() throws Exception {
        writeTornBatch(false);

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, OPTIONS)).isInstanceOf(JournalCorruptionException.class);
    }

    @Test
    void tornRegionLargerThanBatchIsRefused() throws Exception {
        writeTornBatch(true);

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, OPTIONS.withMaxBatchBytes(1024)))
                .isInstanceOf(JournalCorruptionException.class);
    }

    /**
     * Appends record 1 (forced), then writes records 2 and 3 as one batch would, with 256 bytes in the
     * middle of record 2 left as zeros ({@code unwritten}) or with one byte flipped there instead.
     */
    private Path writeTornBatch(boolean unwritten) throws IOException {
        JournalRecord first;
        try (Journal journal = Journal.open(dir, CLOCK, OPTIONS)) {
            journal.appendAndForce(1, payload(1));
            try (JournalReader reader = journal.read(1)) {
                first = reader.next();
            }
        }
        Path segment = dir.resolve(JournalSegment.fileName(1));
        long batchStart = JournalSegment.HEADER_SIZE + JournalSegment.recordSize(first.payload().length);

        byte[] second = payload(2);
        byte[] third = payload(3);
        ByteBuffer batch = ByteBuffer.allocate(JournalSegment.recordSize(second.length)
                + JournalSegment.recordSize(third.length));
        byte[] hash = JournalSegment.encodeRecord(batch, 2, CLOCK.millis(), 1, first.hash(), second);
        JournalSegment.encodeRecord(batch, 3, CLOCK.millis(), 1, hash, third);
        byte[] bytes = batch.array();
        if (unwritten) {
            java.util.Arrays.fill(bytes, 300, 556, (byte) 0);
        } else {
            bytes[400] ^= 0x10;
        }

        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer source = ByteBuffer.wrap(bytes);
            while (source.hasRemaining()) {
                channel.write(source, batchStart + source.position());
            }
        }
        return segment;
    }

    /** Returns a JSON payload of about 1 KiB, so that a record spans several 512-byte sectors. */
    private static byte[] payload(int number) {
        return ("{\"record\":" + number + ",\"text\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
