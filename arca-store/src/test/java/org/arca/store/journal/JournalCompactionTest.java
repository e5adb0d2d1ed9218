package org.arca.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.arca.store.fs.FileLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing whole segments below an anchor, and opening, reading and verifying what remains. */
class JournalCompactionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"), ZoneOffset.UTC);
    /** Small segments, so that 40 records of 200 bytes fill several of them. */
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(2048);

    @TempDir
    Path directory;

    @Test
    void removeKeepsActiveAndAnchoredRecords() throws IOException {
        JournalAnchor anchor;
        Journal.RemovedRange range;
        try (Journal journal = openWithRecords(40)) {
            anchor = anchorAt(journal, 25);
            range = journal.removeSegmentsThroughAndFsync(25, anchor).orElseThrow();

            assertThat(range.firstSequence()).isEqualTo(1);
            assertThat(range.lastSequence()).isLessThanOrEqualTo(25);
            assertThat(journal.firstSequence()).isEqualTo(range.lastSequence() + 1);
            assertThat(readAll(journal.readRetained())).first().isEqualTo(range.lastSequence() + 1);
            assertThat(readAll(journal.readRetained())).last().isEqualTo(40L);
            assertThat(journal.verify().problems()).isEmpty();
        }
        assertThat(Journal.firstSegmentSequence(directory)).isEqualTo(range.lastSequence() + 1);
    }

    @Test
    void removeNeverTakesActiveSegment() throws IOException {
        try (Journal journal = openWithRecords(40)) {
            JournalAnchor anchor = anchorAt(journal, 40);

            journal.removeSegmentsThroughAndFsync(40, anchor).orElseThrow();

            assertThat(journal.firstSequence()).isLessThanOrEqualTo(40);
            assertThat(readAll(journal.readRetained())).last().isEqualTo(40L);
            assertThat(journal.appendAndForce(1, payload(41))).isEqualTo(41);
        }
    }

    @Test
    void removeRejectsAnchorOfAnotherJournal() throws IOException {
        try (Journal journal = openWithRecords(40)) {
            JournalAnchor wrong = new JournalAnchor(25, new byte[JournalSegment.HASH_SIZE]);

            assertThatThrownBy(() -> journal.removeSegmentsThroughAndFsync(25, wrong))
                    .isInstanceOf(JournalCorruptionException.class).hasMessageContaining("nothing was removed");
            assertThat(journal.firstSequence()).isEqualTo(1);
        }
    }

    @Test
    void readBelowFirstSequenceFails() throws IOException {
        try (Journal journal = openWithRecords(40)) {
            journal.removeSegmentsThroughAndFsync(25, anchorAt(journal, 25)).orElseThrow();

            assertThatThrownBy(() -> journal.read(1)).isInstanceOf(JournalCompactedException.class)
                    .hasMessageContaining("starts at sequence " + journal.firstSequence());
        }
        assertThatThrownBy(() -> Journal.readDirectory(directory, 1)).isInstanceOf(JournalCompactedException.class);
    }

    @Test
    void reopenWithAnchorContinuesChain() throws IOException {
        JournalAnchor anchor;
        long first;
        try (Journal journal = openWithRecords(40)) {
            anchor = anchorAt(journal, 25);
            journal.removeSegmentsThroughAndFsync(25, anchor);
            first = journal.firstSequence();
        }

        try (Journal journal = Journal.open(directory, CLOCK, OPTIONS, FileLayer.nio(), anchor)) {
            assertThat(journal.firstSequence()).isEqualTo(first);
            assertThat(journal.lastSequence()).isEqualTo(40);
            assertThat(journal.appendAndForce(1, payload(41))).isEqualTo(41);
            assertThat(journal.verify().problems()).isEmpty();
        }
        assertThat(Journal.verifyDirectory(directory, anchor).problems()).isEmpty();
    }

    @Test
    void recoveryRefusesWithoutAnchor() throws IOException {
        try (Journal journal = openWithRecords(40)) {
            journal.removeSegmentsThroughAndFsync(25, anchorAt(journal, 25));
        }

        assertThatThrownBy(() -> Journal.open(directory, CLOCK, OPTIONS)).isInstanceOf(JournalCorruptionException.class)
                .hasMessageContaining("no checkpoint manifest");
        assertThat(Journal.verifyDirectory(directory).problems()).extracting(JournalProblem::defect)
                .containsExactly(JournalDefect.BROKEN_CHAIN);
    }

    @Test
    void recoveryRefusesAnchorThatDoesNotChain() throws IOException {
        JournalAnchor anchor;
        try (Journal journal = openWithRecords(40)) {
            anchor = anchorAt(journal, 25);
            journal.removeSegmentsThroughAndFsync(25, anchor);
        }
        byte[] otherHash = anchor.sha256();
        otherHash[0] ^= 1;
        JournalAnchor wrong = new JournalAnchor(25, otherHash);

        assertThatThrownBy(() -> Journal.open(directory, CLOCK, OPTIONS, FileLayer.nio(), wrong))
                .isInstanceOf(JournalCorruptionException.class).hasMessageContaining("BROKEN_CHAIN");
        assertThat(Journal.verifyDirectory(directory, wrong).problems()).extracting(JournalProblem::defect)
                .containsExactly(JournalDefect.BROKEN_CHAIN);
    }

    @Test
    void recoveryRefusesAnchorBeforeFirstRecord() throws IOException {
        JournalAnchor early;
        try (Journal journal = openWithRecords(40)) {
            early = anchorAt(journal, 2);
            journal.removeSegmentsThroughAndFsync(25, anchorAt(journal, 25));
        }

        assertThatThrownBy(() -> Journal.open(directory, CLOCK, OPTIONS, FileLayer.nio(), early))
                .isInstanceOf(JournalCorruptionException.class).hasMessageContaining("outside the retained journal");
    }

    @Test
    void firstRecordMustCarryAnchorHash() throws IOException {
        // The anchor is the record just before the first retained one, so the first record's
        // previous hash is compared directly.
        JournalAnchor exact;
        try (Journal journal = openWithRecords(40)) {
            Journal.RemovedRange range = journal.removableThrough(25).orElseThrow();
            exact = anchorAt(journal, range.lastSequence());
            journal.removeSegmentsThroughAndFsync(range.lastSequence(), exact);
        }
        byte[] otherHash = exact.sha256();
        otherHash[31] ^= 1;

        try (Journal journal = Journal.open(directory, CLOCK, OPTIONS, FileLayer.nio(), exact)) {
            assertThat(journal.firstSequence()).isEqualTo(exact.sequence() + 1);
        }
        assertThatThrownBy(() -> Journal.open(directory, CLOCK, OPTIONS, FileLayer.nio(),
                new JournalAnchor(exact.sequence(), otherHash))).isInstanceOf(JournalCorruptionException.class)
                .hasMessageContaining("previous hash");
    }

    private Journal openWithRecords(int count) throws IOException {
        Journal journal = Journal.open(directory, CLOCK, OPTIONS);
        for (int i = 1; i <= count; i++) {
            journal.appendAndForce(1, payload(i));
        }
        assertThat(segmentCount()).isGreaterThan(3);
        return journal;
    }

    private long segmentCount() throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".seg")).count();
        }
    }

    private static JournalAnchor anchorAt(Journal journal, long sequence) throws IOException {
        try (JournalReader reader = journal.read(sequence)) {
            return new JournalAnchor(sequence, reader.next().hash());
        }
    }

    private static List<Long> readAll(JournalReader reader) throws IOException {
        List<Long> sequences = new ArrayList<>();
        try (reader) {
            while (reader.hasNext()) {
                sequences.add(reader.next().sequence());
            }
        }
        return sequences;
    }

    private static byte[] payload(int i) {
        return ("{\"record\":" + i + ",\"padding\":\"" + "x".repeat(160) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
