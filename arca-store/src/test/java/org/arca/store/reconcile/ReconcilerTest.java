package org.arca.store.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.FileMetaInformation;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.blob.BlobId;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.IngestServiceTestData;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobDamageTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each mismatch kind made by hand on a real data directory, then found and, where possible, repaired. */
class ReconcilerTest {

    @TempDir
    Path temp;

    ReconcileFixture fixture;

    @BeforeEach
    void ingestThreeInstances() throws Exception {
        fixture = new ReconcileFixture(temp.resolve("data"), 3);
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void cleanArchiveHasNoMismatch() throws Exception {
        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.isClean()).as("report %s", report).isTrue();
        assertThat(report.storedVersions()).isEqualTo(3);
        assertThat(report.indexRows()).isEqualTo(3);
        assertThat(report.blobs()).isEqualTo(3);
        assertThat(report.mismatches()).isEmpty();
    }

    @Test
    void orphanIsReportedWithItsBlob() throws Exception {
        BlobId orphan = fixture.publishOrphan("left by a crash".getBytes());

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.remaining().get(MismatchKind.BLOB_ORPHANED)).isEqualTo(1);
        assertThat(report.totalRemaining()).isEqualTo(1);
        assertThat(report.mismatches()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MismatchKind.BLOB_ORPHANED);
            assertThat(m.blobSha256()).isEqualTo(orphan.hex());
        });
        assertThat(fixture.data.blobs().exists(orphan)).as("report-only leaves the orphan").isTrue();
    }

    @Test
    void repairQuarantinesOrphanWithManifest() throws Exception {
        BlobId orphan = fixture.publishOrphan("left by a crash".getBytes());

        ReconcileReport repaired = fixture.reconcile(true);

        assertThat(repaired.found().get(MismatchKind.BLOB_ORPHANED)).isEqualTo(1);
        assertThat(repaired.isClean()).isTrue();
        Path quarantine = fixture.data.blobs().root().resolve("quarantine");
        assertThat(quarantine.resolve(orphan.hex())).exists();
        QuarantineManifest manifest = QuarantineManifest.fromJsonBytes(
                Files.readAllBytes(quarantine.resolve(orphan.hex() + ".json")), "manifest");
        assertThat(manifest.quarantinedAtMillis()).isEqualTo(fixture.clock.millis());
        assertThat(manifest.reason()).contains("no journal record references it");
        assertThat(fixture.data.blobs().exists(orphan)).isFalse();
        assertThat(fixture.reconcileActions()).singleElement().satisfies(action -> {
            assertThat(action.action()).isEqualTo(ReconcileAction.ORPHAN_QUARANTINED);
            assertThat(action.blobSha256()).isEqualTo(orphan.hex());
        });
        assertThat(fixture.reconcile(false).isClean()).as("second run").isTrue();
    }

    @Test
    void quarantineManifestNamesOrphanInstance() throws Exception {
        String uid = ReconcileFixture.UID_PREFIX + ".99";
        ByteArrayOutputStream part10 = new ByteArrayOutputStream();
        new DicomOutputStream(part10).writeFileMetaInformation(FileMetaInformation.create(ReconcileFixture.CT, uid,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), "MODALITY"));
        part10.write(IngestServiceTestData.dataset(uid, "ORPHAN^ONE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        BlobId orphan = fixture.publishOrphan(part10.toByteArray());

        fixture.reconcile(true);

        Path quarantine = fixture.data.blobs().root().resolve("quarantine");
        QuarantineManifest manifest = QuarantineManifest.fromJsonBytes(
                Files.readAllBytes(quarantine.resolve(orphan.hex() + ".json")), "manifest");
        assertThat(manifest.identity()).containsEntry("SOPInstanceUID", uid);
        assertThat(manifest.identity()).containsEntry("PatientName", "ORPHAN^ONE");
    }

    @Test
    void liveRunSkipsYoungOrphan() throws Exception {
        fixture.publishOrphan("an ingest in progress".getBytes());

        ReconcileReport report = fixture.reconcile(ReconcileOptions.live(true, ReconcileOptions.DEFAULT_QUARANTINE_GRACE));

        assertThat(report.found().get(MismatchKind.BLOB_ORPHANED)).isZero();
        assertThat(fixture.reconcileActions()).isEmpty();
    }

    @Test
    void missingBlobIsReportedAndRecordedAsDamage() throws Exception {
        IngestResult victim = fixture.stored.get(1);
        Files.delete(fixture.blobPath(victim));

        ReconcileReport report = fixture.reconcile(false);
        assertThat(report.remaining().get(MismatchKind.BLOB_MISSING)).isEqualTo(1);
        assertThat(report.totalRemaining()).isEqualTo(1);
        assertThat(report.mismatches().get(0).journalSequence()).isEqualTo(victim.journalSequence());
        assertThat(report.mismatches().get(0).sopInstanceUid()).isEqualTo(ReconcileFixture.UID_PREFIX + ".2");

        ReconcileReport afterRepair = fixture.reconcile(true);
        assertThat(afterRepair.remaining().get(MismatchKind.BLOB_MISSING)).as("cannot repair without a copy")
                .isEqualTo(1);
        assertThat(afterRepair.mismatches().get(0).repair()).contains("replica or backup");
        List<BlobDamage> damage = fixture.data.repairs().readDamage();
        assertThat(damage).singleElement().satisfies(d -> {
            assertThat(d.blobSha256()).isEqualTo(victim.blobId().hex());
            assertThat(d.detectedBy()).isEqualTo("reconcile");
        });
    }

    /** An operator puts a lost file back: a report lists the open finding, a repair closes it. */
    @Test
    void restoredBlobClosesDamageFinding() throws Exception {
        IngestResult victim = fixture.stored.get(1);
        Path blob = fixture.blobPath(victim);
        byte[] bytes = Files.readAllBytes(blob);
        Files.delete(blob);
        fixture.reconcile(true);
        assertThat(BlobDamageTable.countOpen(fixture.data.index())).as("open findings after the loss").isEqualTo(1);

        Files.write(blob, bytes);
        ReconcileReport reportOnly = fixture.reconcile(false);

        assertThat(reportOnly.remaining().get(MismatchKind.DAMAGE_FINDING_STALE)).isEqualTo(1);
        assertThat(reportOnly.mismatches()).singleElement()
                .satisfies(m -> assertThat(m.detail()).contains("hashes to its SHA-256 again"));
        assertThat(BlobDamageTable.countOpen(fixture.data.index())).as("open after a report").isEqualTo(1);

        ReconcileReport repaired = fixture.reconcile(true);

        assertThat(repaired.found().get(MismatchKind.DAMAGE_FINDING_STALE)).isEqualTo(1);
        assertThat(repaired.isClean()).isTrue();
        assertThat(BlobDamageTable.countOpen(fixture.data.index())).as("open after the repair").isZero();
        assertThat(fixture.reconcile(false).isClean()).as("next run").isTrue();
    }

    /** A finding stays open while its blob is still missing, however often a repair runs. */
    @Test
    void missingBlobKeepsFindingOpen() throws Exception {
        IngestResult victim = fixture.stored.get(1);
        Files.delete(fixture.blobPath(victim));

        fixture.reconcile(true);
        ReconcileReport again = fixture.reconcile(true);

        assertThat(again.found().get(MismatchKind.DAMAGE_FINDING_STALE)).isZero();
        assertThat(BlobDamageTable.countOpen(fixture.data.index())).isEqualTo(1);
        assertThat(fixture.data.repairs().readDamage()).as("one finding, not one per run").hasSize(1);
    }

    @Test
    void corruptBlobIsReported() throws Exception {
        IngestResult victim = fixture.stored.get(0);
        ReconcileFixture.flipOneByte(fixture.blobPath(victim));

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.remaining().get(MismatchKind.BLOB_CORRUPT)).isEqualTo(1);
        assertThat(report.totalRemaining()).isEqualTo(1);
        assertThat(report.mismatches().get(0).blobSha256()).isEqualTo(victim.blobId().hex());
        assertThat(report.mismatches().get(0).detail()).contains("hash to");
    }

    @Test
    void missingIndexRowIsReappliedFromJournal() throws Exception {
        InstanceRecord first = fixture.journalRecord(1);
        BlobId blob = fixture.publishOrphan("bytes of a version the index never saw".getBytes());
        InstanceRecord secondVersion = withBlobAndVersion(first, blob.hex(), 2,
                "bytes of a version the index never saw".length());
        long sequence = fixture.appendWithoutIndex(secondVersion);

        ReconcileReport report = fixture.reconcile(false);
        assertThat(report.remaining().get(MismatchKind.INDEX_ROW_MISSING)).isEqualTo(1);
        Mismatch missing = report.mismatches().stream().filter(m -> m.kind() == MismatchKind.INDEX_ROW_MISSING)
                .findFirst().orElseThrow();
        assertThat(missing.journalSequence()).isEqualTo(sequence);
        assertThat(missing.version()).isEqualTo(2);

        ReconcileReport repaired = fixture.reconcile(true);
        assertThat(repaired.remaining().get(MismatchKind.INDEX_ROW_MISSING)).isZero();
        assertThat(fixture.data.index().versions(first.sopInstanceUid())).hasSize(2);
        assertThat(fixture.reconcileActions()).extracting(ReconcileAction::action)
                .contains(ReconcileAction.INDEX_RECORD_REAPPLIED);
        assertThat(fixture.reconcile(false).remaining().get(MismatchKind.INDEX_ROW_MISSING)).isZero();
    }

    @Test
    void repeatedRecordOfSameVersionIsNoMismatch() throws Exception {
        InstanceRecord first = fixture.journalRecord(1);
        fixture.appendWithoutIndex(first);

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.storedVersions()).isEqualTo(4);
        assertThat(report.isClean()).as("report %s", report).isTrue();
    }

    @Test
    void liveRunIgnoresIndexLag() throws Exception {
        InstanceRecord first = fixture.journalRecord(1);
        byte[] bytes = "bytes of a version the index applies later".getBytes();
        BlobId blob = fixture.publishOrphan(bytes);
        fixture.appendWithoutIndex(withBlobAndVersion(first, blob.hex(), 2, bytes.length));

        ReconcileReport report = fixture.reconcile(ReconcileOptions.live(false,
                ReconcileOptions.DEFAULT_QUARANTINE_GRACE));

        assertThat(report.found().get(MismatchKind.INDEX_ROW_MISSING)).isZero();
        assertThat(report.found().get(MismatchKind.INDEX_ROW_UNSUPPORTED)).isZero();
        // The hand-made blob is no DICOM object, which the attribute check reports.
        assertThat(report.mismatches()).singleElement()
                .satisfies(m -> assertThat(m.detail()).contains("does not parse"));
    }

    @Test
    void unsupportedIndexRowIsReported() throws Exception {
        fixture.updateIndex("INSERT INTO instance_versions (instance_key, series_key, sop_instance_uid, version,"
                + " sop_class_uid, instance_number, transfer_syntax_uid, specific_character_set, blob_sha256,"
                + " size_bytes, journal_sequence, received_at_millis, source_ae_title)"
                + " SELECT instance_key, series_key, sop_instance_uid, 7, sop_class_uid, instance_number,"
                + " transfer_syntax_uid, specific_character_set, '" + "e".repeat(64) + "', 10, 999,"
                + " received_at_millis, source_ae_title FROM instance_versions WHERE journal_sequence = 2");

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.remaining().get(MismatchKind.INDEX_ROW_UNSUPPORTED)).isEqualTo(1);
        assertThat(report.totalRemaining()).isEqualTo(1);
        Mismatch unsupported = report.mismatches().get(0);
        assertThat(unsupported.journalSequence()).isEqualTo(999);
        assertThat(unsupported.version()).isEqualTo(7);
        assertThat(unsupported.blobSha256()).isEqualTo("e".repeat(64));
    }

    @Test
    void indexRowNamingOtherBlobIsUnsupported() throws Exception {
        fixture.updateIndex("UPDATE instance_versions SET blob_sha256 = '" + "d".repeat(64)
                + "' WHERE journal_sequence = 3");

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.remaining().get(MismatchKind.INDEX_ROW_UNSUPPORTED)).isEqualTo(1);
        assertThat(report.mismatches().get(0).detail()).contains(fixture.stored.get(2).blobId().hex());
    }

    @Test
    void indexAttributeDifferingFromJournalIsReported() throws Exception {
        fixture.updateIndex("UPDATE studies SET study_description = 'EDITED BY HAND'");
        fixture.updateIndex("UPDATE instance_versions SET instance_number = '42' WHERE journal_sequence = 1");

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.remaining().get(MismatchKind.ATTRIBUTE_MISMATCH)).isEqualTo(2);
        assertThat(report.totalRemaining()).isEqualTo(2);
        List<String> details = new ArrayList<>();
        report.mismatches().forEach(m -> details.add(m.detail()));
        assertThat(details).anySatisfy(d -> assertThat(d).contains("StudyDescription").contains("EDITED BY HAND"));
        assertThat(details).anySatisfy(d -> assertThat(d).contains("InstanceNumber").contains("'42'"));
    }

    @Test
    void journalRecordDifferingFromObjectIsReported() throws Exception {
        IngestResult source = fixture.ingest(ReconcileFixture.UID_PREFIX + ".9", "ROE^RICHARD");
        InstanceRecord record = fixture.journalRecord(source.journalSequence());
        Files.delete(fixture.blobPath(source));
        // Re-ingest other bytes under another SOP Instance, then journal them with the first one's record.
        ReconcileFixture other = new ReconcileFixture(temp.resolve("other"), 0);
        IngestResult otherStored = other.ingest(ReconcileFixture.UID_PREFIX + ".9", "DOE^JOHN");
        Path otherBlob = other.blobPath(otherStored);
        other.close();
        Path target = fixture.data.blobs().pathOf(otherStored.blobId());
        Files.createDirectories(target.getParent());
        Files.copy(otherBlob, target);
        fixture.appendWithoutIndex(withBlobAndVersion(record, otherStored.blobId().hex(), 2,
                otherStored.sizeBytes()));

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.mismatches()).filteredOn(m -> m.kind() == MismatchKind.ATTRIBUTE_MISMATCH)
                .singleElement().satisfies(m -> {
                    assertThat(m.detail()).contains("PatientName").contains("ROE^RICHARD").contains("DOE^JOHN");
                    assertThat(m.blobSha256()).isEqualTo(otherStored.blobId().hex());
                });
    }

    @Test
    void lastReportIsPersisted() throws Exception {
        fixture.publishOrphan("orphan".getBytes());

        ReconcileReport report = fixture.reconcile(false);

        ReconcileReport read = LastReconcile.read(fixture.root).orElseThrow();
        assertThat(read.magic()).isEqualTo(ReconcileReport.MAGIC);
        assertThat(read.remaining()).isEqualTo(report.remaining());
        assertThat(read.mismatches()).isEqualTo(report.mismatches());
        assertThat(read.isClean()).isFalse();
    }

    static InstanceRecord withBlobAndVersion(InstanceRecord r, String blobSha256, int version, long sizeBytes) {
        return new InstanceRecord(0, r.patientId(), r.issuerOfPatientId(), r.patientName(), r.patientBirthDate(),
                r.patientSex(), r.studyInstanceUid(), r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(),
                r.studyDescription(), r.referringPhysicianName(), r.seriesInstanceUid(), r.modality(),
                r.seriesNumber(), r.seriesDescription(), r.bodyPartExamined(), r.sopInstanceUid(), r.sopClassUid(),
                r.instanceNumber(), r.transferSyntaxUid(), r.specificCharacterSet(), blobSha256, sizeBytes, version,
                r.receivedAtMillis(), r.sourceAeTitle());
    }
}
