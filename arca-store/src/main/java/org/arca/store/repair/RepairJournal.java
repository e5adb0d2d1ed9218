package org.arca.store.repair;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.arca.store.index.Index;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.IndexChange;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;

/**
 * Records damaged blobs in the journal, so that they are known after a restart and can be
 * repaired from a verified copy once replicas and backups exist.
 *
 * <p>Thread-safe: the journal and the index updater are.
 */
public final class RepairJournal {

    private final Journal journal;
    private final IndexUpdater indexUpdater;
    private final Index index;

    public RepairJournal(Journal journal, IndexUpdater indexUpdater, Index index) {
        this.journal = journal;
        this.indexUpdater = indexUpdater;
        this.index = index;
    }

    /**
     * A damage finding as {@link #recordDamageOnceAndForce} left it.
     *
     * @param journalSequence the sequence of the record with the finding
     * @param appended false when an open finding of the same version and blob was there already
     */
    public record Recorded(long journalSequence, boolean appended) {
    }

    /**
     * Appends the finding like {@link #appendDamageAndForce}, unless the index lists an open finding of the
     * same stored version and blob already: each retrieve of a damaged blob would otherwise add one.
     */
    public Recorded recordDamageOnceAndForce(BlobDamage damage) throws IOException {
        OptionalLong open = BlobDamageTable.openFinding(index, damage.sopInstanceUid(), damage.version(),
                damage.blobSha256());
        if (open.isPresent()) {
            return new Recorded(open.getAsLong(), false);
        }
        return new Recorded(appendDamageAndForce(damage), true);
    }

    /**
     * Appends the finding, forces it to disk and waits until the index's {@code blob_damage} table
     * contains it; returns its journal sequence.
     */
    public long appendDamageAndForce(BlobDamage damage) throws IOException {
        return appendApplyAndForce(JournalRecordTypes.BLOB_DAMAGE_DETECTED, damage.toJsonBytes(),
                sequence -> BlobDamageTable.indexChangeOf(damage, sequence), "the damage finding");
    }

    /**
     * Appends a BLOB_REPAIRED record, forces it to disk and waits until the index has closed the open
     * findings of its blob; returns its journal sequence.
     */
    public long appendRepairAndForce(BlobRepaired repaired) throws IOException {
        return appendApplyAndForce(JournalRecordTypes.BLOB_REPAIRED, repaired.toJsonBytes(),
                sequence -> BlobDamageTable.repairChangeOf(repaired, sequence), "the repair");
    }

    /** Appends a record, forces it to disk and waits until the index has applied its change. */
    private long appendApplyAndForce(int type, byte[] payload, LongFunction<IndexChange> changeOf, String change)
            throws IOException {
        long sequence = journal.appendAndForce(type, payload);
        try {
            indexUpdater.submitAndAwait(sequence, changeOf.apply(sequence));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while the index applied " + change + " of journal record "
                    + sequence + "; the record is durable and is replayed at the next start.");
        }
        return sequence;
    }

    /**
     * Appends a record of a type that changes nothing in the index, such as a reconciliation's
     * repair action, and forces it to disk. Returns its journal sequence.
     */
    public long appendIndexNeutralAndForce(int type, byte[] payload) throws IOException {
        if (!JournalRecordTypes.leavesIndexUnchanged(type)) {
            throw new IllegalArgumentException("Journal record type " + type + " changes the index; append it "
                    + "through the index updater, not as an index-neutral record.");
        }
        long sequence = journal.appendAndForce(type, payload);
        indexUpdater.submitWithoutIndexChange(sequence);
        return sequence;
    }

    /**
     * Returns every damage finding in the retained journal, oldest first. Compaction removes older ones,
     * which the index's {@code blob_damage} table keeps ({@link BlobDamageTable}).
     */
    public List<BlobDamage> readDamage() throws IOException {
        List<BlobDamage> found = new ArrayList<>();
        try (JournalReader reader = journal.readRetained()) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.BLOB_DAMAGE_DETECTED) {
                    found.add(BlobDamage.fromJsonBytes(record.payload(), record.sequence()));
                }
            }
        }
        return found;
    }
}
