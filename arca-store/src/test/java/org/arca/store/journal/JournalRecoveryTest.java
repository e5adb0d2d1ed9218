package org.arca.store.journal;

import static org.arca.store.journal.JournalTest.CLOCK;
import static org.arca.store.journal.JournalTest.RECORD_SIZE;
import static org.arca.store.journal.JournalTest.flipByte;
import static org.arca.store.journal.JournalTest.offsetOf;
import static org.arca.store.journal.JournalTest.payload;
import static org.arca.store.journal.JournalTest.range;
import static org.arca.store.journal.JournalTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.arca.store.journal.RecoveryReport.Cut;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** One test per shape that a crash or damage can leave in a journal. */
class JournalRecoveryTest {

    /** Segments of exactly five 100-byte records, so that record 6 starts segment 2. */
    private static final JournalOptions FIVE_PER_SEGMENT =
            JournalOptions.defaults().withSegmentSizeBytes(JournalSegment.HEADER_SIZE + 5L * RECORD_SIZE);

    @TempDir
    Path root;

    private Path dir;
    private Path segment1;
    private Path segment6;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger recoveryLogger = (Logger) LoggerFactory.getLogger(JournalRecovery.class);

    @BeforeEach
    void captureLog() {
        dir = root.resolve("journal");
        segment1 = dir.resolve("00000000000000000001.seg");
        segment6 = dir.resolve("00000000000000000006.seg");
        log.start();
        recoveryLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        recoveryLogger.detachAppender(log);
    }

    @Test
    void tornLengthFieldIsCut() throws Exception {
        appendRecords(6, JournalOptions.defaults());
        truncate(segment1, offsetOf(6));
        // The first 2 bytes of the length field of a record longer than 64 KiB; zeros would be
        // indistinguishable from a preallocated tail.
        Files.write(segment1, new byte[] {0, 1}, StandardOpenOption.APPEND);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.cuts()).containsExactly(new Cut(segment1, offsetOf(6), 2, JournalDefect.TORN_LENGTH, false));
        assertCutLogged("offset 532", "removed 2 bytes", "TORN_LENGTH");
    }

    @Test
    void tornBodyIsCut() throws Exception {
        appendRecords(6, JournalOptions.defaults());
        truncate(segment1, offsetOf(6) + 30);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.cuts()).containsExactly(new Cut(segment1, offsetOf(6), 30, JournalDefect.TORN_BODY, false));
        assertCutLogged("offset 532", "removed 30 bytes", "TORN_BODY");
    }

    @Test
    void junkTailIsCut() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        byte[] junk = "\u00DE\u00AD\u00BE\u00EFnot a journal record".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        writeAt(segment1, offsetOf(6), junk);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.cuts()).containsExactly(
                new Cut(segment1, offsetOf(6), junk.length, JournalDefect.INVALID_LENGTH, false));
        assertCutLogged("offset 532", "removed " + junk.length + " bytes", "INVALID_LENGTH");
        assertThat(segment1).hasSize(JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES);
    }

    @Test
    void zeroFilledTailIsKept() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        Files.write(segment1, new byte[4096], StandardOpenOption.APPEND);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.isClean()).isTrue();
        assertThat(segment1).hasSize(JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES + 4096);
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void preallocatedSegmentReopensWithRecords() throws Exception {
        appendRecords(7, JournalOptions.defaults());
        assertThat(segment1).hasSize(JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 7), 8);

        assertThat(report.isClean()).isTrue();
        assertThat(report.recordCount()).isEqualTo(7);
        assertThat(segment1).hasSize(JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES);
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.WARN);
        try (JournalReader reader = Journal.readDirectory(dir, 1)) {
            List<Long> sequences = new java.util.ArrayList<>();
            while (reader.hasNext()) {
                sequences.add(reader.next().sequence());
            }
            assertThat(sequences).containsExactlyElementsOf(range(1, 8));
        }
        assertThat(Journal.verifyDirectory(dir).problems()).isEmpty();
    }

    @Test
    void tornRecordInPreallocatedRegionIsZeroed() throws Exception {
        appendRecords(6, JournalOptions.defaults());
        // A crash while record 6 was written: only its first 40 bytes reached the disk.
        byte[] record6 = readAt(segment1, offsetOf(6), RECORD_SIZE);
        writeAt(segment1, offsetOf(6), new byte[RECORD_SIZE]);
        writeAt(segment1, offsetOf(6), java.util.Arrays.copyOf(record6, 40));

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.cuts()).containsExactly(new Cut(segment1, offsetOf(6), 40, JournalDefect.BAD_CRC, false));
        assertCutLogged("offset 532", "removed 40 bytes", "BAD_CRC", "overwriting them with zeros");
        assertThat(segment1).hasSize(JournalOptions.DEFAULT_SEGMENT_SIZE_BYTES);
    }

    @Test
    void nonZeroBytesAfterZeroGapAreCut() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        writeAt(segment1, offsetOf(6) + 4096, new byte[] {7, 7, 7});

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6);

        assertThat(report.cuts()).containsExactly(
                new Cut(segment1, offsetOf(6), 4096 + 3, JournalDefect.INVALID_LENGTH, false));
        assertThat(readAt(segment1, offsetOf(6) + 4096, 3)).containsExactly(0, 0, 0);
    }

    @Test
    void lockFreeReadersStopAtZeroLength() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        // What a reader can see while a writer appends: a zero gap, then bytes written after the
        // reader passed the gap.
        writeAt(segment1, offsetOf(7), new byte[] {7, 7, 7});

        JournalVerification verification = Journal.verifyDirectory(dir);
        List<Long> sequences = new java.util.ArrayList<>();
        try (JournalReader reader = Journal.readDirectory(dir, 1)) {
            while (reader.hasNext()) {
                sequences.add(reader.next().sequence());
            }
        }

        assertThat(verification.problems()).isEmpty();
        assertThat(verification.recordCount()).isEqualTo(5);
        assertThat(sequences).containsExactlyElementsOf(range(1, 5));
    }

    @Test
    void segmentRollPreallocatesNextSegment() throws Exception {
        appendRecords(6, FIVE_PER_SEGMENT);

        assertThat(segment1).hasSize(FIVE_PER_SEGMENT.segmentSizeBytes());
        assertThat(segment6).hasSize(FIVE_PER_SEGMENT.segmentSizeBytes());
        byte[] tail = readAt(segment6, JournalSegment.HEADER_SIZE + RECORD_SIZE, 4 * RECORD_SIZE);
        assertThat(java.util.Arrays.equals(tail, new byte[tail.length])).as("the rest of segment 6 is zero").isTrue();
        reopenAndAssertSurvivors(range(1, 6), 7, FIVE_PER_SEGMENT);
    }

    @Test
    void headerOnlyPreallocatedSegmentIsKept() throws Exception {
        appendRecords(5, FIVE_PER_SEGMENT);
        Path preallocated = dir.resolve("00000000000000000006.seg");
        byte[] bytes = new byte[(int) FIVE_PER_SEGMENT.segmentSizeBytes()];
        JournalSegment.encodeHeader(6, CLOCK.millis()).get(bytes, 0, JournalSegment.HEADER_SIZE);
        Files.write(preallocated, bytes);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6, FIVE_PER_SEGMENT);

        assertThat(report.isClean()).isTrue();
        assertThat(report.segmentCount()).isEqualTo(2);
        assertThat(readAt(preallocated, JournalSegment.HEADER_SIZE + 8, 8)).isEqualTo(
                ByteBuffer.allocate(8).putLong(6).array());
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void tornHeaderPreallocatedSegmentIsRemoved() throws Exception {
        appendRecords(5, FIVE_PER_SEGMENT);
        Path preallocated = dir.resolve("00000000000000000006.seg");
        byte[] bytes = new byte[(int) FIVE_PER_SEGMENT.segmentSizeBytes()];
        JournalSegment.encodeHeader(6, CLOCK.millis()).get(bytes, 0, JournalSegment.HEADER_SIZE - 4);
        Files.write(preallocated, bytes);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6, FIVE_PER_SEGMENT);

        assertThat(report.cuts()).containsExactly(
                new Cut(preallocated, 0, bytes.length, JournalDefect.TORN_HEADER, true));
        assertThat(preallocated).hasSize(FIVE_PER_SEGMENT.segmentSizeBytes());
    }

    @Test
    void badCrcInLastRecordIsCut() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        flipByte(segment1, offsetOf(5) + 70);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 4), 5);

        assertThat(report.cuts()).containsExactly(new Cut(segment1, offsetOf(5), RECORD_SIZE, JournalDefect.BAD_CRC, false));
        assertCutLogged("offset 432", "removed 100 bytes", "BAD_CRC");
    }

    @Test
    void headerOnlySegmentIsKept() throws Exception {
        appendRecords(6, FIVE_PER_SEGMENT);
        truncate(segment6, JournalSegment.HEADER_SIZE);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6, FIVE_PER_SEGMENT);

        assertThat(report.isClean()).isTrue();
        assertThat(report.segmentCount()).isEqualTo(2);
        assertThat(segment6).hasSize(FIVE_PER_SEGMENT.segmentSizeBytes());
        assertThat(log.list).noneMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void tornHeaderSegmentIsRemoved() throws Exception {
        appendRecords(6, FIVE_PER_SEGMENT);
        truncate(segment6, 10);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6, FIVE_PER_SEGMENT);

        assertThat(report.cuts()).containsExactly(new Cut(segment6, 0, 10, JournalDefect.TORN_HEADER, true));
        assertThat(segment6).hasSize(FIVE_PER_SEGMENT.segmentSizeBytes());
        assertCutLogged("Removed the journal segment", segment6.getFileName().toString(), "10 bytes", "TORN_HEADER");
    }

    @Test
    void leftoverHeaderOnlySegmentIsRemoved() throws Exception {
        appendRecords(5, FIVE_PER_SEGMENT);
        Path leftover = dir.resolve("00000000000000000009.seg");
        Files.write(leftover, JournalSegment.encodeHeader(9, CLOCK.millis()).array());

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 5), 6, FIVE_PER_SEGMENT);

        assertThat(report.cuts()).containsExactly(
                new Cut(leftover, 0, JournalSegment.HEADER_SIZE, JournalDefect.BAD_HEADER, true));
        assertThat(leftover).doesNotExist();
        assertCutLogged("Removed the journal segment", leftover.getFileName().toString(), "BAD_HEADER");
    }

    @Test
    void badCrcInMiddleIsRefused() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        flipByte(segment1, offsetOf(3) + 70);
        long sizeBefore = Files.size(segment1);

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                .isInstanceOfSatisfying(JournalCorruptionException.class, e -> {
                    assertThat(e.segment()).isEqualTo(segment1);
                    assertThat(e.offset()).isEqualTo(offsetOf(3));
                    assertThat(e.sequence()).isEqualTo(3);
                    assertThat(e).hasMessageContaining(segment1.toString()).hasMessageContaining("offset 232")
                            .hasMessageContaining("sequence 3").hasMessageContaining("BAD_CRC");
                });
        assertThat(segment1).hasSize(sizeBefore);
    }

    @Test
    void brokenChainInMiddleIsRefused() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        rewritePreviousHashWithGoodCrc(segment1, offsetOf(3));

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                .isInstanceOfSatisfying(JournalCorruptionException.class, e -> {
                    assertThat(e.offset()).isEqualTo(offsetOf(3));
                    assertThat(e.sequence()).isEqualTo(3);
                    assertThat(e).hasMessageContaining("BROKEN_CHAIN");
                });
    }

    @Test
    void brokenChainInLastRecordIsRefused() throws Exception {
        appendRecords(5, JournalOptions.defaults());
        rewritePreviousHashWithGoodCrc(segment1, offsetOf(5));

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                .isInstanceOf(JournalCorruptionException.class).hasMessageContaining("BROKEN_CHAIN");
    }

    @Test
    void badCrcInEarlierSegmentIsRefused() throws Exception {
        appendRecords(8, FIVE_PER_SEGMENT);
        flipByte(segment1, offsetOf(5) + 70);

        assertThatThrownBy(() -> Journal.open(dir, CLOCK, FIVE_PER_SEGMENT))
                .isInstanceOfSatisfying(JournalCorruptionException.class, e -> {
                    assertThat(e.segment()).isEqualTo(segment1);
                    assertThat(e.offset()).isEqualTo(offsetOf(5));
                    assertThat(e.sequence()).isEqualTo(5);
                });
    }

    @Test
    void quarantineCopiesAndCutsAtCorruption() throws Exception {
        appendRecords(8, FIVE_PER_SEGMENT);
        flipByte(segment1, offsetOf(3) + 70);
        byte[] damaged = Files.readAllBytes(segment1);
        Path quarantine = root.resolve("quarantine");
        JournalOptions options = FIVE_PER_SEGMENT.withQuarantine(null);

        RecoveryReport report = reopenAndAssertSurvivors(range(1, 2), 3, options);

        assertThat(report.quarantined()).hasSize(2);
        assertThat(report.quarantined().get(0)).hasBinaryContent(damaged);
        assertThat(report.cuts()).containsExactly(
                new Cut(segment6, 0, FIVE_PER_SEGMENT.segmentSizeBytes(), JournalDefect.BAD_CRC, true),
                new Cut(segment1, offsetOf(3), 3L * RECORD_SIZE, JournalDefect.BAD_CRC, false));
        try (var files = Files.list(quarantine)) {
            assertThat(files.filter(p -> p.toString().endsWith(".reason.txt")).count()).isEqualTo(2);
        }
    }

    private void appendRecords(int count, JournalOptions options) throws IOException {
        try (Journal journal = Journal.open(dir, CLOCK, options)) {
            for (int i = 1; i <= count; i++) {
                journal.appendAndForce(1, payload(i));
            }
        }
        log.list.clear();
    }

    private RecoveryReport reopenAndAssertSurvivors(List<Long> survivors, long nextSequence) throws IOException {
        return reopenAndAssertSurvivors(survivors, nextSequence, JournalOptions.defaults());
    }

    /** Reopens, checks the surviving sequences and that the next append continues the chain. */
    private RecoveryReport reopenAndAssertSurvivors(List<Long> survivors, long nextSequence, JournalOptions options)
            throws IOException {
        try (Journal journal = Journal.open(dir, CLOCK, options)) {
            assertThat(readAll(journal, 1)).extracting(JournalRecord::sequence).containsExactlyElementsOf(survivors);
            assertThat(journal.recoveryReport().lastSequence()).isEqualTo(nextSequence - 1);

            assertThat(journal.appendAndForce(1, payload((int) nextSequence))).isEqualTo(nextSequence);
            assertThat(journal.verify().problems()).isEmpty();
            return journal.recoveryReport();
        }
    }

    private void assertCutLogged(String... fragments) {
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains(fragments);
        });
    }

    private static void writeAt(Path segment, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    private static byte[] readAt(Path segment, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // reads until full or the end of the file
            }
            return buffer.array();
        }
    }

    private static void truncate(Path segment, long sizeBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(sizeBytes);
        }
    }

    /** Changes the previous-hash field of the record at {@code offset} and fixes its CRC32C. */
    private static void rewritePreviousHashWithGoodCrc(Path segment, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocate(RECORD_SIZE);
            channel.read(record, offset);
            record.put(28, (byte) (record.get(28) ^ 0x01));
            CRC32C crc = new CRC32C();
            crc.update(record.array(), 8, RECORD_SIZE - 8);
            record.putInt(4, (int) crc.getValue());
            channel.write(record.rewind(), offset);
        }
    }
}
