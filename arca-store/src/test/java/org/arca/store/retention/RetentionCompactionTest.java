package org.arca.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.uid.UID;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeException;
import org.arca.store.cdp.HistoryEntry;
import org.arca.store.cdp.RestorePlan;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentRequest;
import org.arca.store.fs.FileLayer;
import org.arca.store.index.Index;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.journal.JournalCompactedException;
import org.arca.store.journal.JournalOptions;
import org.arca.store.rebuild.OfflineIndexRebuild;
import org.arca.store.reconcile.OfflineReconciliation;
import org.arca.store.reconcile.ReconcileOptions;
import org.arca.store.reconcile.ReconcileReport;
import org.arca.store.verify.ArchiveVerifier;
import org.arca.store.verify.VerifyReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal compaction by retention runs on a test clock, and every reader of the compacted journal:
 * start-up, index rebuild, restore, history, verify and reconcile.
 */
class RetentionCompactionTest {

    private static final RetentionPolicy POLICY = RetentionPolicy.ofDays(30);
    /** Small segments, so that a few INSTANCE_STORED records fill several of them. */
    private static final JournalOptions OPTIONS = JournalOptions.defaults().withSegmentSizeBytes(4096);
    private static final Instant START = Instant.parse("2026-05-01T12:00:00Z");
    private static final String OLD_STUDY = "1.2.826.0.1.3680043.8.498.50";
    private static final String NEW_STUDY = "1.2.826.0.1.3680043.8.498.51";

    @TempDir
    Path temp;

    private final TestClock clock = new TestClock(START);
    private Path root;
    private DataDirectory data;

    @AfterEach
    void close() throws IOException {
        if (data != null) {
            data.close();
        }
    }

    @Test
    void runRemovesSegmentsBeforeWindow() throws Exception {
        RetentionReport report = compactAfterWindow();

        assertThat(report.compaction()).isNotNull();
        assertThat(report.compaction().firstRemovedSequence()).isEqualTo(1);
        assertThat(data.journal().firstSequence()).isEqualTo(report.compaction().lastRemovedSequence() + 1);
        assertThat(report.compaction().lastRemovedSequence())
                .isLessThanOrEqualTo(report.compaction().checkpointSequence());
        assertThat(Files.exists(Retention.checkpointsOf(root)
                .resolve(report.compaction().checkpointSnapshotFileName()))).isTrue();
    }

    @Test
    void runInsideWindowRemovesNothing() throws Exception {
        open();
        storeStudy(OLD_STUDY, 8);
        data.retention().run(POLICY, true, false);
        clock.advance(Duration.ofDays(10));

        RetentionReport report = data.retention().run(POLICY, true, false);

        assertThat(report.compaction()).isNull();
        assertThat(data.journal().firstSequence()).isEqualTo(1);
    }

    @Test
    void reopenAfterCompactionKeepsIndex() throws Exception {
        compactAfterWindow();
        List<String> live = dump();

        reopen();

        assertThat(data.journal().firstSequence()).isGreaterThan(1);
        assertThat(dump()).isEqualTo(live);
    }

    @Test
    void rebuildStartsFromCheckpoint() throws Exception {
        compactAfterWindow();
        List<String> live = dump();
        data.close();
        data = null;
        Files.delete(DataDirectory.indexOf(root));

        open();

        assertThat(dump()).isEqualTo(live);
    }

    @Test
    void offlineRebuildStartsFromCheckpoint() throws Exception {
        compactAfterWindow();
        List<String> live = dump();
        data.close();
        data = null;

        OfflineIndexRebuild.rebuild(root);
        open();

        assertThat(dump()).isEqualTo(live);
    }

    @Test
    void offlineRebuildAsOfUsesCheckpoint() throws Exception {
        compactAfterWindow();
        data.close();
        data = null;
        Path output = temp.resolve("as-of.sqlite");

        OfflineIndexRebuild.rebuildAsOf(root, START.plus(Duration.ofDays(31)).minusSeconds(1), output);

        try (Index asOf = Index.open(output)) {
            assertThat(asOf.counts().instances()).isEqualTo(8);
        }
        assertThatThrownBy(() -> OfflineIndexRebuild.rebuildAsOf(root, START.minusSeconds(60),
                temp.resolve("too-early.sqlite"))).isInstanceOf(IOException.class)
                .hasMessageContaining("the earliest time that can be rebuilt is " + START);
    }

    @Test
    void rebuildSkipsTamperedCheckpoint() throws Exception {
        RetentionReport report = compactAfterWindow();
        List<String> live = dump();
        data.close();
        data = null;
        tamper(report.compaction().checkpointSnapshotFileName());
        Files.delete(DataDirectory.indexOf(root));

        open();

        assertThat(dump()).isEqualTo(live); // from the intact checkpoint that the same run wrote
    }

    @Test
    void rebuildRefusesTamperedCheckpoints() throws Exception {
        compactAfterWindow();
        data.close();
        data = null;
        for (CheckpointManifest manifest : new Checkpoints(Retention.checkpointsOf(root), clock).list()) {
            tamper(manifest.snapshotFileName());
        }
        Files.delete(DataDirectory.indexOf(root));

        assertThatThrownBy(this::open).isInstanceOf(IOException.class)
                .hasMessageContaining("no such checkpoint with an intact snapshot");
        assertThat(Files.exists(DataDirectory.indexOf(root))).isFalse();
    }

    @Test
    void tamperedCheckpointStopsCompaction() throws Exception {
        open();
        storeStudy(OLD_STUDY, 8);
        CheckpointManifest checkpoint = data.retention().run(POLICY, true, false).checkpoint();
        tamper(checkpoint.snapshotFileName());
        clock.advance(Duration.ofDays(31));
        storeStudy(NEW_STUDY, 2);

        RetentionReport report = data.retention().run(POLICY, true, false);

        assertThat(report.compaction()).isNull();
        assertThat(data.journal().firstSequence()).isEqualTo(1);
        assertThat(Files.exists(Retention.checkpointsOf(root).resolve(checkpoint.snapshotFileName()))).isTrue();
    }

    @Test
    void restoreInsideWindowWorks() throws Exception {
        compactAfterWindow();
        Instant beforeNewStudy = START.plus(Duration.ofDays(31)).minusSeconds(1);

        RestorePlan plan = data.changes().planRestore(beforeNewStudy, null);

        assertThat(plan.asOfSequence()).isGreaterThanOrEqualTo(data.journal().firstSequence() - 1);
        assertThat(plan.changes()).isNotEmpty(); // the instances of NEW_STUDY would be hidden
    }

    @Test
    void restoreBeforeCompactionRejected() throws Exception {
        compactAfterWindow();

        assertThatThrownBy(() -> data.changes().planRestore(START.minusSeconds(3600), null))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("outside the retention window")
                .hasMessageContaining("earliest restorable time is " + START)
                .extracting(e -> ((ChangeException) e).reason()).isEqualTo(ChangeException.Reason.INVALID);
    }

    @Test
    void historySaysOlderRecordsCompacted() throws Exception {
        compactAfterWindow();

        List<HistoryEntry> history = data.changes().history(OLD_STUDY);

        assertThat(history.get(0).kind()).isEqualTo("COMPACTED");
        assertThat(history.get(0).description()).contains("compacted into a checkpoint");
    }

    @Test
    void verifyIsCleanAfterCompaction() throws Exception {
        compactAfterWindow();
        long versions = data.index().counts().instances();
        data.close();
        data = null;
        List<String> problems = new ArrayList<>();

        VerifyReport report = new ArchiveVerifier(root, problems::add).verify();

        assertThat(problems).isEmpty();
        assertThat(report.isOk()).isTrue();
        assertThat(report.storedVersions()).isEqualTo(versions);
    }

    @Test
    void verifyReportsTamperedCheckpoint() throws Exception {
        RetentionReport compacted = compactAfterWindow();
        data.close();
        data = null;
        tamper(compacted.compaction().checkpointSnapshotFileName());
        List<String> problems = new ArrayList<>();

        new ArchiveVerifier(root, problems::add).verify();

        assertThat(problems).anyMatch(problem -> problem.contains("Checkpoint damaged"));
    }

    @Test
    void reconcileIsCleanAfterCompaction() throws Exception {
        compactAfterWindow();
        data.close();
        data = null;
        List<String> mismatches = new ArrayList<>();

        ReconcileReport report = OfflineReconciliation.run(root, ReconcileOptions.offline(false), clock,
                mismatch -> mismatches.add(mismatch.toString()), (result, title) -> { });

        assertThat(mismatches).isEmpty();
        assertThat(report.totalFound()).isZero();
    }

    @Test
    void reconcileRepairRebuildsFromCheckpoint() throws Exception {
        compactAfterWindow();
        List<String> live = dump();
        data.close();
        data = null;
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + DataDirectory.indexOf(root));
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE instance_versions SET blob_sha256 = '" + "0".repeat(64)
                    + "' WHERE journal_sequence = 1");
        }

        ReconcileReport report = OfflineReconciliation.run(root, ReconcileOptions.offline(true), clock,
                mismatch -> { }, (result, title) -> { });

        assertThat(report.totalRemaining()).isZero();
        open();
        assertThat(dump()).isEqualTo(live);
    }

    @Test
    void legalHoldKeepsStudyRecords() throws Exception {
        open();
        storeStudy(OLD_STUDY, 8);
        data.retention().setLegalHold(OLD_STUDY, true, new ChangeAuthor("alice", "case 7"));
        data.retention().run(POLICY, true, false);
        clock.advance(Duration.ofDays(31));
        storeStudy(NEW_STUDY, 2);

        RetentionReport report = data.retention().run(POLICY, true, false);

        assertThat(report.compaction()).isNull();
        assertThat(data.journal().firstSequence()).isEqualTo(1);
    }

    @Test
    void pendingCommitmentKeepsRecords() throws Exception {
        open();
        storeStudy(OLD_STUDY, 2);
        data.commitments().appendRequestAndForce(commitmentRequest());
        storeStudy(OLD_STUDY + ".9", 6);
        data.retention().run(POLICY, true, false);
        clock.advance(Duration.ofDays(31));
        storeStudy(NEW_STUDY, 2);

        data.retention().run(POLICY, true, false);

        assertThat(data.commitments().readPending()).hasSize(1);
        assertThat(data.journal().firstSequence()).isLessThanOrEqualTo(data.commitments().readPending().get(0)
                .requestSequence());
    }

    @Test
    void readerBelowFirstSequenceFails() throws Exception {
        compactAfterWindow();

        assertThatThrownBy(() -> data.journal().read(1)).isInstanceOf(JournalCompactedException.class);
    }

    /**
     * Stores eight instances, writes a checkpoint, lets 31 days pass, stores two more and runs
     * retention again, which compacts the journal up to the checkpoint.
     */
    private RetentionReport compactAfterWindow() throws Exception {
        open();
        storeStudy(OLD_STUDY, 8);
        assertThat(data.retention().run(POLICY, true, false).checkpoint()).isNotNull();
        clock.advance(Duration.ofDays(31));
        storeStudy(NEW_STUDY, 2);
        RetentionReport report = data.retention().run(POLICY, true, false);
        assertThat(report.compaction()).isNotNull();
        return report;
    }

    private void open() throws IOException {
        if (root == null) {
            root = temp.resolve("arca-data");
        }
        data = DataDirectory.openForWriting(root, clock, FileLayer.nio(), OPTIONS);
    }

    private void reopen() throws IOException {
        data.close();
        data = null;
        open();
    }

    private void storeStudy(String studyUid, int instances) throws Exception {
        for (int i = 1; i <= instances; i++) {
            String sopInstanceUid = studyUid + ".1." + i;
            byte[] dataset = RetentionFixture.dataset(studyUid, sopInstanceUid, "DOE^JANE");
            data.ingestService().ingest(new IngestRequest(RetentionFixture.CT, sopInstanceUid,
                    UID.ExplicitVRLittleEndian, "CT1"), new ByteArrayInputStream(dataset));
        }
    }

    private void tamper(String snapshotFileName) throws IOException {
        Path snapshot = Retention.checkpointsOf(root).resolve(snapshotFileName);
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(snapshot, bytes);
    }

    private static CommitmentRequest commitmentRequest() {
        return CommitmentRequest.of("1.2.826.0.1.3680043.8.498.99", "MODALITY", List.of(
                new CommitmentReference(RetentionFixture.CT, OLD_STUDY + ".1.1")));
    }

    /** Returns every row of the tables a rebuild must reproduce, as text. */
    private List<String> dump() {
        List<String> rows = new ArrayList<>();
        // index_state is left out: a rebuild also counts the index-neutral records at the journal's end.
        for (String table : List.of("patients", "studies", "series", "instances", "instance_versions",
                "legal_holds", "reclaimed_blobs")) {
            rows.addAll(data.index().read("dump " + table, reader -> {
                List<String> lines = new ArrayList<>();
                try (Statement statement = reader.createStatement();
                        ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        StringBuilder line = new StringBuilder(table);
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            line.append('|').append(meta.getColumnName(i)).append('=').append(result.getString(i));
                        }
                        lines.add(line.toString());
                    }
                }
                return lines;
            }));
        }
        return rows;
    }
}
