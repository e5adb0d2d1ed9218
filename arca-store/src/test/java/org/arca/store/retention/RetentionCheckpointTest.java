package org.arca.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.arca.store.TestClock;
import org.arca.store.index.Index;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index checkpoints written by retention runs: snapshot, manifest, verification and pruning. */
class RetentionCheckpointTest {

    private static final RetentionPolicy POLICY = RetentionPolicy.ofDays(30);
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.3";

    @TempDir
    Path temp;

    private RetentionFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = new RetentionFixture(temp.resolve("arca-data"), new TestClock(Instant.parse("2026-05-01T12:00:00Z")));
        fixture.store(STUDY, STUDY + ".1.1", "DOE^JANE");
        fixture.store(STUDY, STUDY + ".1.2", "DOE^JANE");
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void runWritesCheckpointOfIndex() throws Exception {
        RetentionReport report = fixture.data.retention().run(POLICY, true, false);

        CheckpointManifest manifest = report.checkpoint();
        assertThat(manifest).isNotNull();
        assertThat(manifest.journalSequence()).isEqualTo(2);
        assertThat(manifest.journalRecordSha256()).isEqualTo(HexFormat.of().formatHex(recordAt(2).hash()));
        assertThat(manifest.journalRecordTimestampMillis()).isEqualTo(recordAt(2).timestampMillis());
        Path snapshot = checkpoints().directory().resolve(manifest.snapshotFileName());
        try (var files = Files.list(checkpoints().directory())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrder(Checkpoints.fileName(2, ".sqlite"), Checkpoints.fileName(2, ".checkpoint"));
        }
        try (Index copy = Index.open(snapshot)) {
            assertThat(copy.lastAppliedJournalSequence()).isEqualTo(2);
            assertThat(copy.counts().instances()).isEqualTo(2);
        }
    }

    @Test
    void manifestReadsBack() throws Exception {
        CheckpointManifest written = fixture.data.retention().run(POLICY, true, false).checkpoint();

        List<CheckpointManifest> listed = checkpoints().list();

        assertThat(listed).containsExactly(written);
    }

    @Test
    void verifyDetectsDamagedSnapshot() throws Exception {
        CheckpointManifest manifest = fixture.data.retention().run(POLICY, true, false).checkpoint();
        checkpoints().verify(manifest);
        Path snapshot = checkpoints().directory().resolve(manifest.snapshotFileName());
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshot, bytes);

        assertThatThrownBy(() -> checkpoints().verify(manifest))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("snapshot is damaged");
    }

    @Test
    void damagedManifestSkipped() throws Exception {
        fixture.data.retention().run(POLICY, true, false);
        Path manifest = checkpoints().directory().resolve(Checkpoints.fileName(2, ".checkpoint"));
        String text = Files.readString(manifest).replace("journalSequence=2", "journalSequence=3");
        Files.writeString(manifest, text, StandardCharsets.UTF_8);

        assertThat(checkpoints().list()).isEmpty();
        assertThatThrownBy(() -> CheckpointManifest.read(manifest))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CRC32C");
    }

    @Test
    void unknownManifestVersionRejected() throws Exception {
        Path manifest = temp.resolve("v2.checkpoint");
        CheckpointManifest sample = new CheckpointManifest(5, "ab".repeat(32), 1L, "x.sqlite", "cd".repeat(32), 10, 2L);
        String text = new String(sample.encode(), StandardCharsets.UTF_8).replace("formatVersion=1", "formatVersion=2");
        // Recompute the CRC line so that only the version is wrong.
        String body = text.substring(0, text.lastIndexOf("crc32c="));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(manifest, body + "crc32c=" + HexFormat.of().toHexDigits((int) crc.getValue()) + "\n");

        assertThatThrownBy(() -> CheckpointManifest.read(manifest))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 2");
    }

    @Test
    void oversizedManifestRejected() throws Exception {
        Path manifest = temp.resolve("big.checkpoint");
        Files.write(manifest, new byte[CheckpointManifest.MAX_SIZE_BYTES + 1], StandardOpenOption.CREATE);

        assertThatThrownBy(() -> CheckpointManifest.read(manifest))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than the");
    }

    @Test
    void nextCheckpointWaitsForInterval() throws Exception {
        fixture.data.retention().run(POLICY, true, false);
        fixture.store(STUDY, STUDY + ".1.3", "DOE^JANE");
        fixture.clock.advance(Duration.ofHours(23));

        RetentionReport early = fixture.data.retention().run(POLICY, true, false);
        fixture.clock.advance(Duration.ofHours(1));
        RetentionReport due = fixture.data.retention().run(POLICY, true, false);

        assertThat(early.checkpoint()).isNull();
        assertThat(due.checkpoint()).isNotNull();
        assertThat(due.checkpoint().journalSequence()).isEqualTo(3);
    }

    @Test
    void checkpointsBeforeWindowPruned() throws Exception {
        fixture.data.retention().run(POLICY, true, false);
        fixture.clock.advance(Duration.ofDays(2));
        fixture.store(STUDY, STUDY + ".1.3", "DOE^JANE");
        fixture.data.retention().run(POLICY, true, false);
        fixture.clock.advance(Duration.ofDays(2));
        fixture.store(STUDY, STUDY + ".1.4", "DOE^JANE");
        fixture.data.retention().run(POLICY, true, false);
        assertThat(checkpoints().list()).extracting(CheckpointManifest::journalSequence).containsExactly(2L, 3L, 4L);

        fixture.clock.advance(Duration.ofDays(31));
        fixture.data.retention().run(POLICY, true, false);

        // The checkpoint at 4 precedes the window and is the base of views inside it; 2 and 3 are not needed.
        assertThat(checkpoints().list()).extracting(CheckpointManifest::journalSequence).containsExactly(4L);
        assertThat(checkpoints().directory().resolve(Checkpoints.fileName(2, ".sqlite"))).doesNotExist();
    }

    private Checkpoints checkpoints() {
        return fixture.data.retention().checkpoints();
    }

    private JournalRecord recordAt(long sequence) throws IOException {
        try (JournalReader reader = fixture.data.journal().read(sequence)) {
            return reader.next();
        }
    }
}
