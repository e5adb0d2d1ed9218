package org.arca.store.cdp;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.arca.store.cdp.event.DeletedEvent;
import org.arca.store.cdp.event.RestoredEvent;
import org.arca.store.cdp.event.StudyUpdatedEvent;
import org.arca.store.cdp.event.UndeletedEvent;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobRepaired;

/**
 * Reads every change to one study from the journal, oldest first. Consecutive stores into the
 * study from one AE title become one STORED entry with their count and sequence range, so that a
 * CT of 800 slices is one line.
 */
final class StudyHistory {

    private final String studyInstanceUid;
    /**
     * The study's SOP Instance UIDs: those in the index, and those the journal stores into it as it is
     * read. Damage and repair records name an instance only, so they are matched against this set.
     */
    private final Set<String> sopInstanceUids;
    private final List<HistoryEntry> entries = new ArrayList<>();
    private StoreRun run;

    /** Consecutive stores into the study from one AE title. */
    private static final class StoreRun {
        final long firstSequence;
        final Instant firstTime;
        final String aeTitle;
        long lastSequence;
        int instances;
        int newVersions;

        StoreRun(JournalRecord record, InstanceRecord instance) {
            firstSequence = record.sequence();
            firstTime = Instant.ofEpochMilli(record.timestampMillis());
            aeTitle = instance.sourceAeTitle();
        }
    }

    /** The kind of the entry that marks where the history of a compacted journal starts. */
    static final String COMPACTED = "COMPACTED";

    private StudyHistory(String studyInstanceUid, Set<String> indexedSopInstanceUids) {
        this.studyInstanceUid = studyInstanceUid;
        this.sopInstanceUids = new HashSet<>(indexedSopInstanceUids);
    }

    /**
     * Reads the study's changes from the journal's first retained record. When compaction removed
     * older records and the study has a change or is in the index ({@code indexedSopInstanceUids}
     * not empty), the first entry has kind {@value #COMPACTED} and names where the listed history
     * starts.
     *
     * @param indexedSopInstanceUids the SOP Instance UIDs of the study in the index, deleted ones too
     */
    static List<HistoryEntry> read(Journal journal, String studyInstanceUid, Set<String> indexedSopInstanceUids)
            throws IOException {
        boolean inIndex = !indexedSopInstanceUids.isEmpty();
        StudyHistory history = new StudyHistory(studyInstanceUid, indexedSopInstanceUids);
        long first = journal.firstSequence();
        Long firstTimeMillis = null;
        try (JournalReader reader = journal.read(first)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                firstTimeMillis = firstTimeMillis == null ? record.timestampMillis() : firstTimeMillis;
                history.add(record);
            }
        }
        history.endRun();
        if (first > 1 && (inIndex || !history.entries.isEmpty())) {
            Instant since = firstTimeMillis == null ? null : Instant.ofEpochMilli(firstTimeMillis);
            history.entries.add(0, new HistoryEntry(first - 1, since, COMPACTED, "", "", "Journal records 1 to "
                    + (first - 1) + " were compacted into a checkpoint by retention, so changes to this study before"
                    + " journal record " + first + (since == null ? "" : " (" + since + ")") + " are not listed."));
        }
        return List.copyOf(history.entries);
    }

    private void add(JournalRecord record) throws IOException {
        long sequence = record.sequence();
        switch (record.type()) {
            case JournalRecordTypes.INSTANCE_STORED -> addStore(record,
                    InstanceStoredEvent.fromJsonBytes(record.payload(), sequence).instance());
            case JournalRecordTypes.DELETED -> {
                DeletedEvent event = DeletedEvent.fromJsonBytes(record.payload(), sequence);
                if (studyInstanceUid.equals(event.studyInstanceUid())) {
                    addEntry(record, "DELETED", event.user(), event.reason(), describe("Deleted", event.level(),
                            event.uid(), event.sopInstanceUids().size(), "hidden"));
                }
            }
            case JournalRecordTypes.UNDELETED -> {
                UndeletedEvent event = UndeletedEvent.fromJsonBytes(record.payload(), sequence);
                if (studyInstanceUid.equals(event.studyInstanceUid())) {
                    addEntry(record, "UNDELETED", event.user(), event.reason(), describe("Undeleted", event.level(),
                            event.uid(), event.sopInstanceUids().size(), "visible again"));
                }
            }
            case JournalRecordTypes.STUDY_UPDATED -> {
                StudyUpdatedEvent event = StudyUpdatedEvent.fromJsonBytes(record.payload(), sequence);
                if (studyInstanceUid.equals(event.studyInstanceUid())) {
                    addEntry(record, "UPDATED", event.user(), event.reason(),
                            "Set " + changes(event.previousValues(), event.values()) + ".");
                }
            }
            case JournalRecordTypes.RESTORED -> addRestore(record, RestoredEvent.fromJsonBytes(record.payload(),
                    sequence));
            case JournalRecordTypes.BLOB_DAMAGE_DETECTED -> addDamage(record, BlobDamage.fromJsonBytes(
                    record.payload(), sequence));
            case JournalRecordTypes.BLOB_REPAIRED -> addRepair(record, BlobRepaired.fromJsonBytes(record.payload(),
                    sequence));
            default -> {
                // Storage Commitment records and reconciliation actions do not change the study.
            }
        }
    }

    private void addStore(JournalRecord record, InstanceRecord instance) {
        if (!studyInstanceUid.equals(instance.studyInstanceUid())) {
            return;
        }
        sopInstanceUids.add(instance.sopInstanceUid());
        if (run == null || !Objects.equals(run.aeTitle, instance.sourceAeTitle())) {
            endRun();
            run = new StoreRun(record, instance);
        }
        run.lastSequence = record.sequence();
        run.instances++;
        if (instance.version() > 1) {
            run.newVersions++;
        }
    }

    private void addRestore(JournalRecord record, RestoredEvent event) {
        Instant asOf = Instant.ofEpochMilli(event.asOfMillis());
        for (RestoredEvent.StudyEffect effect : event.studies()) {
            if (studyInstanceUid.equals(effect.studyInstanceUid())) {
                String values = effect.values().isEmpty() ? ""
                        : "; set " + changes(effect.previousValues(), effect.values());
                addEntry(record, "RESTORED", event.user(), event.reason(), "Restored to " + asOf
                        + " (journal record " + event.asOfSequence() + "): " + effect.shownSopInstanceUids().size()
                        + " instances visible again, " + effect.hiddenSopInstanceUids().size() + " hidden, "
                        + effect.currentVersions().size() + " back to an earlier version" + values
                        + ".");
                return;
            }
        }
        if (studyInstanceUid.equals(event.scopeStudyInstanceUid())) {
            addEntry(record, "RESTORED", event.user(), event.reason(), "Restored to " + asOf + " (journal record "
                    + event.asOfSequence() + "): nothing differed.");
        }
    }

    /** Adds a damage finding of an instance of the study, whose bytes are missing or changed until a repair. */
    private void addDamage(JournalRecord record, BlobDamage damage) {
        if (sopInstanceUids.contains(damage.sopInstanceUid())) {
            addEntry(record, "DAMAGED", damage.detectedBy(), "", describeDamage(damage));
        }
    }

    /**
     * Describes a finding once: a retrieve's problem is a whole sentence that names the instance and
     * the path already, while a reconciliation's is a word such as "missing".
     */
    private static String describeDamage(BlobDamage damage) {
        String problem = damage.problem().strip();
        if (problem.endsWith(".")) {
            problem = problem.substring(0, problem.length() - 1);
        }
        if (problem.contains(damage.sopInstanceUid())) {
            return problem + " (version " + damage.version() + ").";
        }
        return "Blob of SOP Instance " + damage.sopInstanceUid() + " version " + damage.version() + ": " + problem
                + " (" + damage.path() + ").";
    }

    private void addRepair(JournalRecord record, BlobRepaired repaired) {
        if (sopInstanceUids.contains(repaired.sopInstanceUid())) {
            // The user column names what repaired it, as DAMAGED names what found it. A reconciliation's
            // source is "reconcile: <reason>", so the user column gets "reconcile" and the entry the reason.
            int colon = repaired.source().indexOf(':');
            String by = colon < 0 ? repaired.source() : repaired.source().substring(0, colon);
            String cause = colon < 0 ? repaired.source() : repaired.source().substring(colon + 1).strip();
            addEntry(record, "REPAIRED", by, "", "Blob of SOP Instance " + repaired.sopInstanceUid() + " version "
                    + repaired.version() + " intact again: " + cause + ".");
        }
    }

    private void addEntry(JournalRecord record, String kind, String user, String reason, String description) {
        endRun();
        entries.add(new HistoryEntry(record.sequence(), Instant.ofEpochMilli(record.timestampMillis()), kind,
                emptyIfNull(user), emptyIfNull(reason), description));
    }

    private void endRun() {
        if (run == null) {
            return;
        }
        String range = run.firstSequence == run.lastSequence ? "journal record " + run.firstSequence
                : "journal records " + run.firstSequence + " to " + run.lastSequence;
        String versions = run.newVersions == 0 ? "" : ", " + run.newVersions + " of them new versions";
        entries.add(new HistoryEntry(run.firstSequence, run.firstTime, "STORED", emptyIfNull(run.aeTitle), "",
                run.instances + (run.instances == 1 ? " instance" : " instances") + " stored" + versions + " ("
                        + range + ")."));
        run = null;
    }

    private static String describe(String verb, String level, String uid, int instances, String outcome) {
        return verb + " " + level.toLowerCase(java.util.Locale.ROOT) + " " + uid + ": " + instances
                + (instances == 1 ? " instance " : " instances ") + outcome + ".";
    }

    private static String changes(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        for (Map.Entry<String, String> entry : after.entrySet()) {
            changes.add(entry.getKey() + " '" + emptyIfNull(before.get(entry.getKey())) + "' -> '"
                    + emptyIfNull(entry.getValue()) + "'");
        }
        return String.join(", ", changes);
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
