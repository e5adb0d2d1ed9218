package org.arca.store.reconcile;

import java.io.IOException;
import java.time.Clock;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobRepaired;
import org.arca.store.repair.RepairJournal;

/** Journals each repair of a reconciliation, so that the journal records what changed and why. */
final class RepairActions {

    private final RepairJournal repairs;
    private final BlobStore blobs;
    private final Clock clock;

    RepairActions(RepairJournal repairs, BlobStore blobs, Clock clock) {
        this.repairs = repairs;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** Appends a {@code RECONCILE_ACTION} record and forces it; returns its journal sequence. */
    long journalAndForce(String action, Mismatch mismatch, String detail) throws IOException {
        ReconcileAction payload = new ReconcileAction(ReconcileAction.FORMAT_VERSION, action, mismatch.blobSha256(),
                mismatch.journalSequence(), mismatch.sopInstanceUid(), mismatch.version(), detail, clock.millis());
        return repairs.appendIndexNeutralAndForce(JournalRecordTypes.RECONCILE_ACTION, payload.toJsonBytes());
    }

    /** Journals that the blob of a stored version hashes to its SHA-256 again, which closes its open findings. */
    long journalRepairAndForce(InstanceRecord version, String source) throws IOException {
        BlobRepaired repaired = new BlobRepaired(BlobRepaired.FORMAT_VERSION, version.sopInstanceUid(),
                version.version(), version.blobSha256(), source, clock.millis());
        return repairs.appendRepairAndForce(repaired);
    }

    /** Records a missing or corrupt blob as blob damage, as a retrieve that finds one does. */
    long journalDamageAndForce(InstanceRecord version, String problem) throws IOException {
        String path = blobs.pathOf(org.arca.store.blob.BlobId.of(version.blobSha256())).toString();
        BlobDamage damage = new BlobDamage(BlobDamage.FORMAT_VERSION, version.sopInstanceUid(), version.version(),
                version.blobSha256(), path, problem, "reconcile", clock.millis());
        return repairs.recordDamageOnceAndForce(damage).journalSequence();
    }
}
