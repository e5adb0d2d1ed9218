package org.arca.server.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.arca.store.index.InstanceVersion;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.RepairJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records blobs that a retrieve found missing or not matching their SHA-256 as journal records
 * ({@code BLOB_DAMAGE_DETECTED}), so that they are known after a restart and can be repaired
 * from a verified copy. Thread-safe.
 */
// TODO: repair from a replica or backup once those exist; today the finding is journaled and logged.
public final class RetrieveRepairLog {

    private static final Logger LOG = LoggerFactory.getLogger(RetrieveRepairLog.class);

    private final RepairJournal repairs;
    private final Clock clock;
    private final AtomicLong recorded = new AtomicLong();

    public RetrieveRepairLog(RepairJournal repairs, Clock clock) {
        this.repairs = repairs;
        this.clock = clock;
    }

    void record(InstanceVersion version, Path path, String problem, String detectedBy) {
        long count = recorded.incrementAndGet();
        BlobDamage damage = new BlobDamage(BlobDamage.FORMAT_VERSION, version.sopInstanceUid(), version.version(),
                version.blobSha256(), path.toString(), problem, detectedBy, clock.millis());
        String journaled;
        try {
            RepairJournal.Recorded recorded = repairs.recordDamageOnceAndForce(damage);
            journaled = recorded.appended() ? "Recorded for repair as journal record " + recorded.journalSequence()
                    : "Recorded for repair already (journal record " + recorded.journalSequence() + ")";
        } catch (IOException e) {
            journaled = "Not recorded for repair, because appending the journal record failed: " + e.getMessage();
        }
        // The problem names the SOP Instance and the path already, so the line adds the version and the outcome.
        LOG.error("{} (version {}); it was not sent and needs repair. {}. Retrieves since the node started met a "
                + "damaged or missing blob {} times.", problem, version.version(), journaled, count);
    }

    /**
     * Returns how many times retrieves have met a damaged or missing blob since the node started; a blob
     * that two retrieves meet counts twice.
     */
    public long count() {
        return recorded.get();
    }
}
