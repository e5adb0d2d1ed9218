package org.arca.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.cdp.ArchiveChanges;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeException;
import org.arca.store.cdp.ChangeLevel;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.reconcile.ReconcileListener;
import org.arca.store.reconcile.ReconcileOptions;
import org.arca.store.reconcile.ReconcileReport;
import org.arca.store.reconcile.Reconciler;
import org.arca.store.verify.ArchiveVerifier;
import org.arca.store.verify.VerifyListener;
import org.arca.store.verify.VerifyReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reclaiming the blobs of deleted studies on a real data directory, with the CDP window passed on a test clock. */
class RetentionReclaimTest {

    private static final RetentionPolicy POLICY = RetentionPolicy.ofDays(30);
    private static final String STUDY_A = "1.2.826.0.1.3680043.8.498.1";
    private static final String STUDY_B = "1.2.826.0.1.3680043.8.498.2";

    @TempDir
    Path temp;

    private RetentionFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = new RetentionFixture(temp.resolve("arca-data"), new TestClock(Instant.parse("2026-01-01T08:00:00Z")));
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void deletedStudyReclaimedAfterWindow() throws Exception {
        IngestResult first = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        IngestResult second = fixture.store(STUDY_A, STUDY_A + ".1.2", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));

        RetentionReport report = retention().run(POLICY, true, false);

        assertThat(report.reclaimed()).extracting(ReclaimCandidate::blobSha256)
                .containsExactlyInAnyOrder(first.blobId().hex(), second.blobId().hex());
        assertThat(blobExists(first)).isFalse();
        assertThat(blobExists(second)).isFalse();
        assertThat(Files.list(Retention.stagingDirectoryOf(fixture.root))).isEmpty();
        assertThat(retention().reclaimedBlobs()).extracting(ReclaimedBlob::blobSha256)
                .containsExactlyInAnyOrder(first.blobId().hex(), second.blobId().hex());
        List<BlobReclaimedEvent> records = reclaimRecords();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).references()).singleElement()
                .satisfies(reference -> assertThat(reference.studyInstanceUid()).isEqualTo(STUDY_A));
        assertThat(records.get(0).sizeBytes()).isEqualTo(first.sizeBytes());
    }

    @Test
    void verifyAcceptsReclaimedBlobs() throws Exception {
        fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.store(STUDY_B, STUDY_B + ".1.1", "ROE^RICHARD");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, true, false);
        List<String> problems = new ArrayList<>();

        VerifyReport report = new ArchiveVerifier(fixture.root, new VerifyListener() {
            @Override
            public void problem(String description) {
                problems.add(description);
            }

            @Override
            public void progress(String description) {
            }
        }).verify();

        assertThat(problems).isEmpty();
        assertThat(report.isOk()).isTrue();
        assertThat(report.blobsChecked()).isEqualTo(1);
    }

    @Test
    void reconcileAcceptsReclaimedBlobs() throws Exception {
        fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.store(STUDY_B, STUDY_B + ".1.1", "ROE^RICHARD");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, true, false);

        ReconcileReport report = new Reconciler(fixture.data, ReconcileOptions.offline(false), fixture.clock)
                .run(ReconcileListener.NONE);

        assertThat(report.isClean()).as("report %s", report).isTrue();
        assertThat(report.storedVersions()).isEqualTo(2);
    }

    @Test
    void verifyReportsDeletedBlobMissingWithoutReclaim() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        Files.delete(fixture.data.blobs().pathOf(stored.blobId()));

        VerifyReport report = new ArchiveVerifier(fixture.root, new VerifyListener() {
            @Override
            public void problem(String description) {
            }

            @Override
            public void progress(String description) {
            }
        }).verify();

        assertThat(report.isOk()).isFalse();
    }

    @Test
    void scanStartsAtCheckpointBeforeWindow() throws Exception {
        IngestResult first = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        IngestResult second = fixture.store(STUDY_B, STUDY_B + ".1.1", "ROE^RICHARD");
        retention().run(POLICY, true, false);
        fixture.clock.advance(Duration.ofHours(1));
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        fixture.deleteStudy(STUDY_B);

        RetentionReport report = retention().run(POLICY, true, false);

        assertThat(retention().checkpoints().list()).extracting(CheckpointManifest::journalSequence).contains(2L);
        assertThat(report.reclaimed()).extracting(ReclaimCandidate::blobSha256).containsExactly(first.blobId().hex());
        assertThat(report.keptForWindow()).isEqualTo(1);
        assertThat(blobExists(second)).isTrue();
    }

    @Test
    void deletedStudyKeptInsideWindow() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(29));

        RetentionReport report = retention().run(POLICY, true, false);

        assertThat(report.reclaimed()).isEmpty();
        assertThat(report.keptForWindow()).isEqualTo(1);
        assertThat(blobExists(stored)).isTrue();
        assertThat(reclaimRecords()).isEmpty();
    }

    @Test
    void deletionInsideWindowKeepsOldStudy() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.clock.advance(Duration.ofDays(100));
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(1));

        RetentionReport report = retention().run(POLICY, true, false);

        assertThat(report.reclaimed()).isEmpty();
        assertThat(report.keptForWindow()).isEqualTo(1);
        assertThat(blobExists(stored)).isTrue();
    }

    @Test
    void legalHoldKeepsBlobsUntilReleased() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        retention().setLegalHold(STUDY_A, true, new ChangeAuthor("bob", "case 2026-17"));
        fixture.clock.advance(Duration.ofDays(400));

        RetentionReport held = retention().run(POLICY, true, false);

        assertThat(held.reclaimed()).isEmpty();
        assertThat(held.keptForLegalHold()).isEqualTo(1);
        assertThat(blobExists(stored)).isTrue();

        retention().setLegalHold(STUDY_A, false, new ChangeAuthor("bob", "case 2026-17 closed"));
        RetentionReport released = retention().run(POLICY, true, false);

        assertThat(released.reclaimed()).extracting(ReclaimCandidate::blobSha256).containsExactly(stored.blobId().hex());
        assertThat(blobExists(stored)).isFalse();
    }

    @Test
    void visibleAndSupersededVersionsKept() throws Exception {
        IngestResult version1 = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        IngestResult version2 = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JOAN");
        IngestResult deleted = fixture.store(STUDY_B, STUDY_B + ".1.1", "ROE^RICHARD");
        fixture.deleteStudy(STUDY_B);
        fixture.clock.advance(Duration.ofDays(365));

        RetentionReport report = retention().run(POLICY, true, false);

        assertThat(version2.version()).isEqualTo(2);
        assertThat(report.reclaimed()).extracting(ReclaimCandidate::blobSha256).containsExactly(deleted.blobId().hex());
        assertThat(blobExists(version1)).isTrue();
        assertThat(blobExists(version2)).isTrue();
        assertThat(blobExists(deleted)).isFalse();
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        long lastSequence = fixture.data.journal().lastSequence();

        RetentionReport report = retention().run(POLICY, true, true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.reclaimed()).extracting(ReclaimCandidate::blobSha256).containsExactly(stored.blobId().hex());
        assertThat(blobExists(stored)).isTrue();
        assertThat(fixture.data.journal().lastSequence()).isEqualTo(lastSequence);
        assertThat(Files.exists(Retention.checkpointsOf(fixture.root))).isFalse();
    }

    @Test
    void reclaimRecordsSurviveIndexRebuild() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.store(STUDY_B, STUDY_B + ".1.1", "ROE^RICHARD");
        fixture.deleteStudy(STUDY_A);
        retention().setLegalHold(STUDY_B, true, new ChangeAuthor("bob", "case 2026-18"));
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, true, false);
        fixture.data.close();
        Path index = DataDirectory.indexOf(fixture.root);
        Files.delete(index);
        Files.deleteIfExists(index.resolveSibling("arca.sqlite-wal"));
        Files.deleteIfExists(index.resolveSibling("arca.sqlite-shm"));

        fixture.data = DataDirectory.openForWriting(fixture.root, fixture.clock);

        assertThat(retention().reclaimedBlobs()).extracting(ReclaimedBlob::blobSha256)
                .containsExactly(stored.blobId().hex());
        assertThat(retention().legalHolds()).extracting(LegalHold::studyInstanceUid).containsExactly(STUDY_B);
        assertThat(retention().legalHolds().get(0).reason()).isEqualTo("case 2026-18");
    }

    @Test
    void onlineRunStagesUntilNextRun() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));

        RetentionReport first = retention().run(POLICY, false, false);

        Path staged = Retention.stagingDirectoryOf(fixture.root).resolve(stored.blobId().hex());
        assertThat(first.reclaimed()).hasSize(1);
        assertThat(blobExists(stored)).isFalse();
        assertThat(staged).exists();

        RetentionReport second = retention().run(POLICY, false, false);

        assertThat(second.reclaimed()).isEmpty();
        assertThat(second.stagedFilesRemoved()).isEqualTo(1);
        assertThat(staged).doesNotExist();
    }

    @Test
    void storedAgainAfterReclaimKeepsBytes() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, false, false);

        IngestResult again = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        RetentionReport next = retention().run(POLICY, false, false);

        assertThat(again.blobId()).isEqualTo(stored.blobId());
        assertThat(next.reclaimed()).isEmpty();
        assertThat(blobExists(stored)).isTrue();
        assertThat(fixture.data.blobs().verify(stored.blobId()).isOk()).isTrue();
        assertThat(retention().reclaimedBlobs()).isEmpty();
        assertThat(fixture.data.index().currentVersion(STUDY_A + ".1.1")).isPresent();
    }

    @Test
    void stagedBlobMovesBackWhenStoredAgainMeanwhile() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, false, false);
        Path staged = Retention.stagingDirectoryOf(fixture.root).resolve(stored.blobId().hex());

        // An ingest that found the blob published just before it was staged names it without
        // writing the bytes again, so the blob store lacks them afterwards.
        fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        Files.delete(fixture.data.blobs().pathOf(stored.blobId()));
        assertThat(staged).exists();

        retention().run(POLICY, false, false);

        assertThat(blobExists(stored)).isTrue();
        assertThat(fixture.data.blobs().verify(stored.blobId()).isOk()).isTrue();
        assertThat(staged).doesNotExist();
    }

    @Test
    void restoreBeforeReclaimFails() throws Exception {
        Instant beforeDelete = fixture.clock.instant().plusSeconds(60);
        fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.clock.advance(Duration.ofHours(1));
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, true, false);
        ArchiveChanges changes = fixture.data.changes();
        ChangeAuthor author = new ChangeAuthor("alice", "restore by mistake");

        assertThatThrownBy(() -> changes.restore(beforeDelete, STUDY_A, author))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("bytes retention reclaimed")
                .satisfies(e -> assertThat(((ChangeException) e).reason()).isEqualTo(ChangeException.Reason.CONFLICT));
        assertThatThrownBy(() -> changes.planRestore(beforeDelete, STUDY_A))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("bytes retention reclaimed");
        assertThatThrownBy(() -> changes.undelete(ChangeLevel.STUDY, STUDY_A, author))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("bytes retention reclaimed");
        assertThat(fixture.data.index().instancesOfStudy(STUDY_A, true)).isEmpty();
    }

    @Test
    void restoreToReclaimedVersionFails() throws Exception {
        String sopInstanceUid = STUDY_A + ".1.1";
        fixture.store(STUDY_A, sopInstanceUid, "DOE^JANE");
        fixture.clock.advance(Duration.ofHours(1));
        Instant version1Current = fixture.clock.instant();
        fixture.clock.advance(Duration.ofHours(1));
        fixture.deleteStudy(STUDY_A);
        fixture.clock.advance(Duration.ofDays(31));
        retention().run(POLICY, true, false);
        IngestResult version2 = fixture.store(STUDY_A, sopInstanceUid, "DOE^JOAN");
        ChangeAuthor author = new ChangeAuthor("alice", "back to version 1");

        assertThat(version2.version()).isEqualTo(2);
        assertThat(fixture.data.index().currentVersion(sopInstanceUid)).isPresent();
        assertThatThrownBy(() -> fixture.data.changes().restore(version1Current, STUDY_A, author))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("bytes retention reclaimed");
        assertThat(fixture.data.index().currentVersion(sopInstanceUid).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void restoreInsideWindowKeepsBytes() throws Exception {
        IngestResult stored = fixture.store(STUDY_A, STUDY_A + ".1.1", "DOE^JANE");
        fixture.clock.advance(Duration.ofDays(20));
        Instant beforeDelete = fixture.clock.instant();
        fixture.clock.advance(Duration.ofHours(1));
        fixture.data.changes().delete(ChangeLevel.STUDY, STUDY_A, new ChangeAuthor("alice", "wrong patient"));
        fixture.clock.advance(Duration.ofDays(20));

        RetentionReport report = retention().run(POLICY, true, false);
        fixture.data.changes().restore(beforeDelete, STUDY_A, new ChangeAuthor("alice", "deleted by mistake"));

        assertThat(report.reclaimed()).isEmpty();
        assertThat(fixture.data.index().instancesOfStudy(STUDY_A, true)).extracting(v -> v.blobSha256())
                .containsExactly(stored.blobId().hex());
        assertThat(blobExists(stored)).isTrue();
    }

    private Retention retention() {
        return fixture.data.retention();
    }

    private boolean blobExists(IngestResult result) {
        return fixture.data.blobs().exists(result.blobId());
    }

    private List<BlobReclaimedEvent> reclaimRecords() throws Exception {
        List<BlobReclaimedEvent> events = new ArrayList<>();
        try (JournalReader reader = fixture.data.journal().read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.BLOB_RECLAIMED) {
                    events.add(BlobReclaimedEvent.fromJsonBytes(record.payload(), record.sequence()));
                }
            }
        }
        return events;
    }
}
