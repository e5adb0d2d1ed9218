package org.arca.store.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.arca.store.blob.BlobId;
import org.arca.store.index.InstanceRecord;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobDamageTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quarantine's grace period, measured with a test clock, and its promise to keep referenced blobs. */
class ReconcileQuarantineTest {

    private static final byte[] ORPHAN = "left by a crash between blob publish and journal append".getBytes();

    @TempDir
    Path temp;

    ReconcileFixture fixture;
    BlobId orphan;
    Path quarantined;

    @BeforeEach
    void quarantineOneOrphan() throws Exception {
        fixture = new ReconcileFixture(temp.resolve("data"), 1);
        orphan = fixture.publishOrphan(ORPHAN);
        fixture.reconcile(true);
        quarantined = fixture.data.blobs().root().resolve("quarantine").resolve(orphan.hex());
        assertThat(quarantined).exists();
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void orphanKeptDuringGracePeriod() throws Exception {
        fixture.clock.advance(Duration.ofDays(7).minusSeconds(1));

        ReconcileReport report = fixture.reconcile(true);

        assertThat(report.isClean()).isTrue();
        assertThat(quarantined).exists();
        assertThat(fixture.reconcileActions()).extracting(ReconcileAction::action)
                .containsExactly(ReconcileAction.ORPHAN_QUARANTINED);
    }

    @Test
    void orphanDeletedAfterGracePeriod() throws Exception {
        fixture.clock.advance(Duration.ofDays(7));

        fixture.reconcile(true);

        assertThat(quarantined).doesNotExist();
        assertThat(quarantined.resolveSibling(orphan.hex() + ".json")).doesNotExist();
        assertThat(fixture.reconcileActions()).extracting(ReconcileAction::action)
                .containsExactly(ReconcileAction.ORPHAN_QUARANTINED, ReconcileAction.QUARANTINED_ORPHAN_DELETED);
    }

    @Test
    void reportOnlyRunDeletesNothing() throws Exception {
        fixture.clock.advance(Duration.ofDays(30));

        fixture.reconcile(false);

        assertThat(quarantined).exists();
    }

    @Test
    void configuredGraceIsUsed() throws Exception {
        fixture.clock.advance(Duration.ofDays(2));

        fixture.reconcile(ReconcileOptions.offline(true).withQuarantineGrace(Duration.ofDays(1)));

        assertThat(quarantined).doesNotExist();
    }

    @Test
    void referencedBlobIsRestoredNotDeleted() throws Exception {
        InstanceRecord first = fixture.journalRecord(1);
        fixture.appendWithoutIndex(ReconcilerTest.withBlobAndVersion(first, orphan.hex(), 2, ORPHAN.length));
        fixture.clock.advance(Duration.ofDays(30));

        ReconcileReport report = fixture.reconcile(true);

        assertThat(quarantined).doesNotExist();
        Path restored = fixture.data.blobs().pathOf(orphan);
        assertThat(Files.readAllBytes(restored)).isEqualTo(ORPHAN);
        assertThat(report.remaining().get(MismatchKind.BLOB_MISSING)).isZero();
        assertThat(fixture.reconcileActions()).extracting(ReconcileAction::action)
                .contains(ReconcileAction.BLOB_RESTORED_FROM_QUARANTINE)
                .doesNotContain(ReconcileAction.QUARANTINED_ORPHAN_DELETED);
    }

    /** A blob back from quarantine that hashes to its name closes the damage finding of its version. */
    @Test
    void restoredBlobClosesItsDamageFinding() throws Exception {
        InstanceRecord first = fixture.journalRecord(1);
        fixture.appendWithoutIndex(ReconcilerTest.withBlobAndVersion(first, orphan.hex(), 2, ORPHAN.length));
        fixture.data.repairs().appendDamageAndForce(new BlobDamage(BlobDamage.FORMAT_VERSION,
                first.sopInstanceUid(), 2, orphan.hex(), fixture.data.blobs().pathOf(orphan).toString(), "missing",
                "C-GET", fixture.clock.millis()));

        ReconcileReport report = fixture.reconcile(true);

        assertThat(report.found().get(MismatchKind.DAMAGE_FINDING_STALE)).isEqualTo(1);
        assertThat(report.remaining().get(MismatchKind.DAMAGE_FINDING_STALE)).isZero();
        assertThat(BlobDamageTable.countOpen(fixture.data.index())).isZero();
    }
}
