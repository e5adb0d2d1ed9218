package org.arca.store.repair;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.staging.StagedDamage;
import org.arca.store.blob.staging.StagedDamageListener;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each staged blob found damaged as {@code BLOB_DAMAGE_DETECTED} journal records, one for each
 * stored version in it, as a retrieve that finds a damaged blob does. A blob that no stored version
 * names was never acknowledged, and a blob with an intact file lost nothing; both are only logged.
 * A version that the index lists as damaged and not yet repaired (its {@code blob_damage} table) is not
 * recorded again.
 *
 * <p>Thread-safe: the index, the blob store and the repair journal are.
 */
public final class StagedDamageRecorder implements StagedDamageListener {

    private static final Logger LOG = LoggerFactory.getLogger(StagedDamageRecorder.class);

    /** The {@code detectedBy} value of the records: the staging area's write-out or its recovery at start. */
    static final String DETECTED_BY = "staging";

    private final Index index;
    private final BlobStore blobs;
    private final RepairJournal repairs;
    private final Clock clock;

    public StagedDamageRecorder(Index index, BlobStore blobs, RepairJournal repairs, Clock clock) {
        this.index = index;
        this.blobs = blobs;
        this.repairs = repairs;
        this.clock = clock;
    }

    @Override
    public void stagedBlobDamaged(StagedDamage damage) {
        String sha256 = damage.id().hex();
        List<InstanceVersion> versions = index.versionsWithBlob(sha256);
        if (versions.isEmpty()) {
            LOG.warn("Staged blob {} in {} is damaged ({}), but no stored version names it: its ingest was never "
                    + "acknowledged, so nothing is lost.", sha256, damage.where(), damage.problem());
            return;
        }
        try {
            if (blobs.verify(damage.id()).isOk()) {
                LOG.warn("Staged blob {} in {} is damaged ({}), but its blob file is intact, so nothing is lost.",
                        sha256, damage.where(), damage.problem());
                return;
            }
            recordEach(versions, damage);
        } catch (IOException e) {
            LOG.error("Recording the damage of staged blob {} in {} ({}) failed: {}. 'arca verify' still finds it.",
                    sha256, damage.where(), damage.problem(), e.toString());
        }
    }

    private void recordEach(List<InstanceVersion> versions, StagedDamage damage) throws IOException {
        for (InstanceVersion version : versions) {
            BlobDamage finding = new BlobDamage(BlobDamage.FORMAT_VERSION, version.sopInstanceUid(),
                    version.version(), version.blobSha256(), damage.where(), damage.problem(), DETECTED_BY,
                    clock.millis());
            RepairJournal.Recorded recorded = repairs.recordDamageOnceAndForce(finding);
            if (!recorded.appended()) {
                continue;
            }
            LOG.error("SOP Instance {} version {} is lost unless restored from another copy or sent again: its staged "
                    + "blob {} in {} is damaged ({}). Recorded for repair as journal record {}.",
                    version.sopInstanceUid(), version.version(), version.blobSha256(), damage.where(),
                    damage.problem(), recorded.journalSequence());
        }
    }
}
