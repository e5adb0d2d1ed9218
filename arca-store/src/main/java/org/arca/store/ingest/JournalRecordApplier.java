package org.arca.store.ingest;

import java.io.IOException;
import org.arca.store.cdp.event.DeletedEvent;
import org.arca.store.cdp.event.RestoredEvent;
import org.arca.store.cdp.event.StudyUpdatedEvent;
import org.arca.store.cdp.event.UndeletedEvent;
import org.arca.store.index.IndexEdit;
import org.arca.store.journal.JournalRecord;
import org.arca.store.repair.BlobDamageTable;
import org.arca.store.retention.BlobReclaimedEvent;
import org.arca.store.retention.LegalHoldEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a journal record into its {@link IndexChange}: the one place that maps each record
 * type to its effect on the index. Used by live ingest replays, index rebuilds and
 * point-in-time views alike, so that all three derive the same index from the same journal.
 */
public final class JournalRecordApplier {

    private static final Logger LOG = LoggerFactory.getLogger(JournalRecordApplier.class);

    /**
     * Returns the index change of the record, {@link IndexChange#NONE} for types that change
     * nothing in the index and for types this version does not know (logged).
     *
     * @throws IOException when the payload of a known type cannot be decoded
     */
    public static IndexChange changeOf(JournalRecord record) throws IOException {
        if (record.type() == JournalRecordTypes.INSTANCE_STORED) {
            InstanceStoredEvent event = InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence());
            return index -> index.applyInstanceStored(event.instance());
        }
        IndexEdit edit = editOf(record);
        if (edit != null) {
            long sequence = record.sequence();
            return index -> index.applyEdit(sequence, edit);
        }
        if (record.type() == JournalRecordTypes.LEGAL_HOLD_SET
                || record.type() == JournalRecordTypes.LEGAL_HOLD_RELEASED) {
            return LegalHoldEvent.indexChangeOf(record, record.type() == JournalRecordTypes.LEGAL_HOLD_SET);
        }
        if (record.type() == JournalRecordTypes.BLOB_RECLAIMED) {
            return BlobReclaimedEvent.indexChangeOf(record);
        }
        if (record.type() == JournalRecordTypes.BLOB_DAMAGE_DETECTED) {
            return BlobDamageTable.indexChangeOf(record);
        }
        if (record.type() == JournalRecordTypes.BLOB_REPAIRED) {
            return BlobDamageTable.repairChangeOf(record);
        }
        if (JournalRecordTypes.leavesIndexUnchanged(record.type())) {
            return IndexChange.NONE;
        }
        LOG.warn("Journal record {} has type {}, which this version of the index does not apply; skipped.",
                record.sequence(), record.type());
        return IndexChange.NONE;
    }

    /** Returns the explicit index edit of a change record, or null for the other record types. */
    private static IndexEdit editOf(JournalRecord record) throws IOException {
        return switch (record.type()) {
            case JournalRecordTypes.DELETED -> DeletedEvent.fromJsonBytes(record.payload(), record.sequence())
                    .toIndexEdit();
            case JournalRecordTypes.UNDELETED -> UndeletedEvent.fromJsonBytes(record.payload(), record.sequence())
                    .toIndexEdit();
            case JournalRecordTypes.STUDY_UPDATED -> StudyUpdatedEvent.fromJsonBytes(record.payload(),
                    record.sequence()).toIndexEdit();
            case JournalRecordTypes.RESTORED -> RestoredEvent.fromJsonBytes(record.payload(), record.sequence())
                    .toIndexEdit();
            default -> null;
        };
    }

    private JournalRecordApplier() {
    }
}
