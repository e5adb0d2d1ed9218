package org.arca.store.cdp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.arca.store.DataDirectory;
import org.arca.store.cdp.event.DeletedEvent;
import org.arca.store.cdp.event.RestoredEvent;
import org.arca.store.cdp.event.RestoredEvent.StudyEffect;
import org.arca.store.cdp.event.StudyUpdatedEvent;
import org.arca.store.cdp.event.UndeletedEvent;
import org.arca.store.index.Index;
import org.arca.store.index.IndexEdit;
import org.arca.store.index.InstanceState;
import org.arca.store.index.StudyEntry;
import org.arca.store.ingest.IndexUpdater;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.retention.CheckpointBases;
import org.arca.store.retention.CheckpointManifest;
import org.arca.store.journal.JournalRecord;
import org.arca.store.journal.JournalSegment;
import org.arca.store.retention.ReclaimedBytesCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, undeletes, attribute updates and point-in-time restores. Each change is one journal
 * record, forced before the method returns and applied to the index, so query and retrieve see
 * it at once and a later restore can undo it. Bytes are never removed here: retention reclaims
 * them later.
 *
 * <p>Every change is checked against the index first and rejected with a {@link ChangeException}
 * before anything is written. Then its journal record is appended with
 * {@link Journal#appendAndForce} and handed to {@link IndexUpdater#submitAndAwait}, which applies
 * records strictly in sequence order, interleaved with ingests.
 *
 * <p>Thread-safety: the changing methods synchronize on this object, so that each check reads the
 * changes made before it. {@link #history} and {@link #planRestore} only read.
 */
public final class ArchiveChanges {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveChanges.class);

    private final Path dataRoot;
    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;
    private final Clock clock;

    /**
     * @param dataRoot the data directory, under which restores keep their scratch index
     * @param clock the journal's clock, to reject a point in time in the future
     */
    public ArchiveChanges(Path dataRoot, Journal journal, Index index, IndexUpdater indexUpdater, Clock clock) {
        this.dataRoot = dataRoot;
        this.journal = journal;
        this.index = index;
        this.indexUpdater = indexUpdater;
        this.clock = clock;
    }

    /**
     * Deletes a study, series or SOP Instance: its visible instances disappear from query and
     * retrieve, and their blobs stay.
     *
     * @throws ChangeException NOT_FOUND for an unknown UID, CONFLICT when everything is already
     *     deleted, INVALID without a user or a reason
     */
    public synchronized ChangeResult delete(ChangeLevel level, String uid, ChangeAuthor author)
            throws ChangeException, IOException {
        checkAuthor(author, "delete");
        List<InstanceState> states = statesOf(level, uid);
        List<String> visible = states.stream().filter(s -> !s.deleted()).map(InstanceState::sopInstanceUid).toList();
        if (visible.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, name(level, uid) + " is already deleted"
                    + deletedBy(states) + "; undelete it to bring it back.");
        }

        DeletedEvent event = new DeletedEvent(DeletedEvent.FORMAT_VERSION, level.name(), uid,
                states.get(0).studyInstanceUid(), author.user(), author.reason(), visible);
        long sequence = appendAndApply(JournalRecordTypes.DELETED, event.toJsonBytes(), event.toIndexEdit());
        LOG.info("{} deleted {} ({} instances hidden, journal record {}); reason: {}.", author.user(),
                name(level, uid), visible.size(), sequence, author.reason());
        return new ChangeResult(sequence, visible.size(), "Deleted " + name(level, uid) + ": " + visible.size()
                + " instances hidden; their bytes stay until retention reclaims them.");
    }

    /**
     * Makes the deleted instances of a study, series or SOP Instance visible again.
     *
     * @throws ChangeException NOT_FOUND for an unknown UID, CONFLICT when nothing of it is deleted
     */
    public synchronized ChangeResult undelete(ChangeLevel level, String uid, ChangeAuthor author)
            throws ChangeException, IOException {
        checkUser(author, "undelete");
        List<InstanceState> states = statesOf(level, uid);
        List<String> deleted = states.stream().filter(InstanceState::deleted).map(InstanceState::sopInstanceUid)
                .toList();
        if (deleted.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, name(level, uid)
                    + " is not deleted; nothing to undelete.");
        }

        ReclaimedBytesCheck.requireBytesPresent(index, DataDirectory.blobsOf(dataRoot), deleted,
                "Undeleting " + name(level, uid));
        UndeletedEvent event = new UndeletedEvent(UndeletedEvent.FORMAT_VERSION, level.name(), uid,
                states.get(0).studyInstanceUid(), author.user(), author.reason(), deleted);
        long sequence = appendAndApply(JournalRecordTypes.UNDELETED, event.toJsonBytes(), event.toIndexEdit());
        LOG.info("{} undeleted {} ({} instances visible again, journal record {}); reason: {}.", author.user(),
                name(level, uid), deleted.size(), sequence, author.reason());
        return new ChangeResult(sequence, deleted.size(), "Undeleted " + name(level, uid) + ": " + deleted.size()
                + " instances visible again.");
    }

    /**
     * Sets attributes of a study by DICOM keyword; patient-level keywords (PatientID,
     * IssuerOfPatientID, PatientName, PatientBirthDate, PatientSex) update the study's patient.
     * A new PatientID moves the study to the patient with that ID (merging into an existing one,
     * or creating it with the old patient's demographics). Only the index changes: retrieved
     * objects keep their bytes as stored.
     *
     * @throws ChangeException INVALID for an unknown keyword or a value its VR does not allow,
     *     NOT_FOUND for an unknown study, CONFLICT for a deleted study or when nothing differs
     */
    public synchronized ChangeResult updateStudy(String studyInstanceUid, Map<String, String> keywordValues,
            ChangeAuthor author) throws ChangeException, IOException {
        checkUser(author, "update");
        AttributeChecks.check(studyInstanceUid, keywordValues);
        List<InstanceState> states = statesOf(ChangeLevel.STUDY, studyInstanceUid);
        long visible = states.stream().filter(s -> !s.deleted()).count();
        if (visible == 0) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, "Study " + studyInstanceUid
                    + " is deleted" + deletedBy(states) + "; undelete it before updating it.");
        }
        Map<String, String> current = index.studyAttributes(studyInstanceUid).get(studyInstanceUid);
        Map<String, String> previous = new LinkedHashMap<>();
        boolean differs = false;
        for (Map.Entry<String, String> entry : keywordValues.entrySet()) {
            String before = current.get(entry.getKey());
            previous.put(entry.getKey(), before);
            differs |= !emptyIfNull(before).equals(emptyIfNull(entry.getValue()));
        }
        if (!differs) {
            throw new ChangeException(ChangeException.Reason.CONFLICT, "Study " + studyInstanceUid
                    + " already has the values " + keywordValues + "; nothing to update.");
        }

        String sharedPatientNote = sharedPatientNote(studyInstanceUid, keywordValues);
        StudyUpdatedEvent event = new StudyUpdatedEvent(StudyUpdatedEvent.FORMAT_VERSION, studyInstanceUid,
                keywordValues, previous, author.user(), author.reason());
        long sequence = appendAndApply(JournalRecordTypes.STUDY_UPDATED, event.toJsonBytes(), event.toIndexEdit());
        LOG.info("{} updated Study {} (journal record {}): {} was {}; reason: {}.", author.user(), studyInstanceUid,
                sequence, keywordValues, previous, author.reason());
        return new ChangeResult(sequence, (int) visible, "Updated Study " + studyInstanceUid + " ("
                + visible + " instances): " + keywordValues.keySet() + "." + sharedPatientNote
                + " The stored objects keep their bytes.");
    }

    /**
     * Describes the other studies that a patient-level value changes too, because PatientName,
     * PatientBirthDate and PatientSex belong to the patient, which the study may share.
     */
    private String sharedPatientNote(String studyInstanceUid, Map<String, String> keywordValues) {
        boolean demographics = keywordValues.keySet().stream().anyMatch(keyword -> keyword.equals("PatientName")
                || keyword.equals("PatientBirthDate") || keyword.equals("PatientSex"));
        boolean moves = keywordValues.containsKey("PatientID") || keywordValues.containsKey("IssuerOfPatientID");
        if (!demographics || moves) {
            return moves ? " The study now belongs to the patient with the new identity; when that patient existed"
                    + " already, its name, birth date and sex apply unless set here." : "";
        }
        List<String> others = index.study(studyInstanceUid)
                .map(study -> index.studies(study.patientKey()).stream()
                        .map(StudyEntry::studyInstanceUid)
                        .filter(uid -> !uid.equals(studyInstanceUid)).toList())
                .orElse(List.of());
        return others.isEmpty() ? "" : " The patient-level values also apply to the " + others.size()
                + " other studies of this patient: " + String.join(", ", others) + ".";
    }

    /**
     * Lists every change to the study from the journal, oldest first. After compaction it lists the
     * retained journal's changes, after an entry of kind COMPACTED that marks where they start.
     *
     * @throws ChangeException NOT_FOUND when no journal record names the study
     */
    public List<HistoryEntry> history(String studyInstanceUid) throws ChangeException, IOException {
        requireUid(studyInstanceUid, "Study Instance UID");
        indexUpdater.replayIfNeeded();
        Set<String> indexed = index.instanceStatesOfStudy(studyInstanceUid).stream()
                .map(InstanceState::sopInstanceUid).collect(Collectors.toSet());
        List<HistoryEntry> entries = StudyHistory.read(journal, studyInstanceUid, indexed);
        if (entries.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.NOT_FOUND, "No journal record names Study "
                    + studyInstanceUid + "; check the Study Instance UID (arca list shows the stored studies).");
        }
        return entries;
    }

    /** Lists what a restore would change; {@code studyInstanceUid} null means the whole archive. */
    public RestorePlan planRestore(Instant asOf, String studyInstanceUid) throws ChangeException, IOException {
        ComputedRestore computed = computeRestore(asOf, studyInstanceUid);
        requireBytesPresent(computed, asOf, studyInstanceUid);
        return computed.plan();
    }

    /**
     * Restores one study, or the whole archive when {@code studyInstanceUid} is null, to its state
     * as of {@code asOf}: instances added or undeleted since then disappear, instances deleted
     * since then reappear, instances with a newer version go back to the version current then,
     * and study and patient attributes return to their values then. The
     * restore is one RESTORED journal record, so a later restore can undo it.
     *
     * @throws ChangeException INVALID for a time in the future, NOT_FOUND for an unknown study
     */
    public synchronized ChangeResult restore(Instant asOf, String studyInstanceUid, ChangeAuthor author)
            throws ChangeException, IOException {
        checkUser(author, "restore");
        ComputedRestore computed = computeRestore(asOf, studyInstanceUid);
        requireBytesPresent(computed, asOf, studyInstanceUid);
        RestoredEvent event = new RestoredEvent(RestoredEvent.FORMAT_VERSION, asOf.toEpochMilli(),
                computed.plan().asOfSequence(), studyInstanceUid, author.user(), author.reason(), computed.effects());
        long sequence = appendAndApply(JournalRecordTypes.RESTORED, event.toJsonBytes(), event.toIndexEdit());

        int instances = 0;
        for (StudyEffect effect : computed.effects()) {
            instances += effect.hiddenSopInstanceUids().size() + effect.shownSopInstanceUids().size()
                    + effect.currentVersions().size();
        }
        String scope = studyInstanceUid == null ? "the archive" : "Study " + studyInstanceUid;
        LOG.info("{} restored {} to {} (journal record {}): {} changes, {} instances; restore journal record {};"
                + " reason: {}.", author.user(), scope, asOf, computed.plan().asOfSequence(),
                computed.plan().changes().size(), instances, sequence, author.reason());
        return new ChangeResult(sequence, instances, "Restored " + scope + " to " + asOf + " (journal record "
                + computed.plan().asOfSequence() + "): " + computed.plan().changes().size() + " changes, "
                + instances + " instances reappeared, disappeared or went back to an earlier version.");
    }

    /**
     * Rejects a restore that would show instances, or make earlier versions current, whose blobs
     * retention reclaimed.
     */
    private void requireBytesPresent(ComputedRestore computed, Instant asOf, String studyInstanceUid)
            throws ChangeException {
        List<String> shown = computed.effects().stream()
                .flatMap(effect -> java.util.stream.Stream.concat(effect.shownSopInstanceUids().stream(),
                        effect.currentVersions().keySet().stream()))
                .toList();
        String scope = studyInstanceUid == null ? "the archive" : "Study " + studyInstanceUid;
        ReclaimedBytesCheck.requireBytesPresent(index, DataDirectory.blobsOf(dataRoot), shown,
                "Restoring " + scope + " to " + asOf);
    }

    private record ComputedRestore(RestorePlan plan, List<StudyEffect> effects) {
    }

    private ComputedRestore computeRestore(Instant asOf, String studyInstanceUid)
            throws ChangeException, IOException {
        checkAsOf(asOf);
        indexUpdater.replayIfNeeded();
        if (studyInstanceUid != null) {
            statesOf(ChangeLevel.STUDY, studyInstanceUid);
        }
        long asOfSequence = lastSequenceAtOrBefore(asOf);
        List<StudyEffect> effects;
        try (ScratchIndex then = ScratchIndex.replay(dataRoot, journal, asOfSequence)) {
            effects = RestoreDiff.compute(then.index(), index, studyInstanceUid);
        }
        RestorePlan plan = new RestorePlan(asOf, asOfSequence, studyInstanceUid, PlannedChanges.of(effects, index));
        return new ComputedRestore(plan, effects);
    }

    private void checkAsOf(Instant asOf) throws ChangeException {
        if (asOf == null) {
            throw new ChangeException(ChangeException.Reason.INVALID, "A restore needs a point in time; give it as"
                    + " an ISO-8601 instant such as 2026-12-04T10:15:00Z.");
        }
        Instant now = clock.instant();
        if (asOf.isAfter(now)) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The point in time " + asOf + " is in the"
                    + " future (now is " + now + "); give a time at or before now.");
        }
    }

    /**
     * Returns the last sequence whose record was written at or before {@code asOf}, 0 when the
     * first record is later. The journal's timestamps follow its clock, which normally only moves
     * forward; the scan stops at the first record after {@code asOf}.
     */
    private long lastSequenceAtOrBefore(Instant asOf) throws IOException, ChangeException {
        long asOfMillis = asOf.toEpochMilli();
        long first = journal.firstSequence();
        long last = first - 1;
        if (first > 1) {
            requireInsideRetainedJournal(asOf);
        }
        try (JournalReader reader = journal.read(first)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.timestampMillis() > asOfMillis) {
                    break;
                }
                last = record.sequence();
            }
        }
        return last;
    }

    /**
     * Rejects a point in time before the oldest checkpoint that continues into the compacted journal:
     * the records that would show it were removed.
     */
    private void requireInsideRetainedJournal(Instant asOf) throws IOException, ChangeException {
        Optional<CheckpointManifest> oldest = CheckpointBases.oldestUsable(dataRoot, journal.firstSequence());
        if (oldest.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The journal starts at sequence "
                    + journal.firstSequence() + " and no checkpoint continues into it, so no point in time can be "
                    + "restored; restore the checkpoints directory of " + dataRoot + " from a backup.");
        }
        Instant earliest = Instant.ofEpochMilli(oldest.get().journalRecordTimestampMillis());
        if (asOf.isBefore(earliest)) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The point in time " + asOf + " is outside "
                    + "the retention window: retention compacted the journal before it. The earliest restorable "
                    + "time is " + earliest + "; give that time or a later one.");
        }
    }

    /** Appends the record, forces it, and waits until the index contains it; returns its sequence. */
    private long appendAndApply(int type, byte[] payload, IndexEdit edit) throws ChangeException, IOException {
        // TODO: one record contains every effect, so a change of more than roughly 200,000 instances
        // (about 70 bytes of JSON each) exceeds the journal's payload limit and is rejected here.
        if (payload.length > JournalSegment.MAX_PAYLOAD_SIZE) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The change names "
                    + (edit.hiddenSopInstanceUids().size() + edit.shownSopInstanceUids().size())
                    + " instances, and its journal record of " + payload.length + " bytes exceeds the maximum of "
                    + JournalSegment.MAX_PAYLOAD_SIZE + " bytes; change one study or series at a time.");
        }
        long sequence = journal.appendAndForce(type, payload);
        try {
            indexUpdater.submitAndAwait(sequence, target -> target.applyEdit(sequence, edit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while the index applied journal record " + sequence
                    + "; the change is durable in the journal and the index applies it before the next ingest.");
        }
        return sequence;
    }

    /** Returns the instances of the level's UID, deleted ones included, or throws NOT_FOUND. */
    private List<InstanceState> statesOf(ChangeLevel level, String uid) throws ChangeException {
        requireUid(uid, level == ChangeLevel.INSTANCE ? "SOP Instance UID" : level == ChangeLevel.SERIES
                ? "Series Instance UID" : "Study Instance UID");
        indexUpdater.replayIfNeeded();
        List<InstanceState> states = switch (level) {
            case STUDY -> index.instanceStatesOfStudy(uid);
            case SERIES -> index.instanceStatesOfSeries(uid);
            case INSTANCE -> index.instanceState(uid).map(List::of).orElse(List.of());
        };
        if (states.isEmpty()) {
            throw new ChangeException(ChangeException.Reason.NOT_FOUND, "No " + name(level, uid) + " is in the"
                    + " archive; check the UID and the level (arca list shows the stored studies and series).");
        }
        return states;
    }

    private static void requireUid(String uid, String what) throws ChangeException {
        if (uid == null || uid.isBlank()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The " + what + " is missing; give the UID"
                    + " of the entity to change.");
        }
    }

    /** Requires a user and a reason: ChangeAuthor's contract makes the reason mandatory for a delete only. */
    private static void checkAuthor(ChangeAuthor author, String change) throws ChangeException {
        checkUser(author, change);
        if (author.reason() == null || author.reason().isBlank()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The " + change + " needs a reason, for the"
                    + " journal and the history; give one, for example \"wrong patient\".");
        }
    }

    private static void checkUser(ChangeAuthor author, String change) throws ChangeException {
        if (author == null || author.user() == null || author.user().isBlank()) {
            throw new ChangeException(ChangeException.Reason.INVALID, "The " + change + " needs the user who makes"
                    + " it, for the journal and the history; give a user name.");
        }
    }

    private static String deletedBy(List<InstanceState> states) {
        long sequence = states.stream().mapToLong(InstanceState::deletedSequence).max().orElse(0);
        return sequence > 0 ? " (journal record " + sequence + ")" : "";
    }

    private static String name(ChangeLevel level, String uid) {
        return switch (level) {
            case STUDY -> "Study " + uid;
            case SERIES -> "Series " + uid;
            case INSTANCE -> "SOP Instance " + uid;
        };
    }

    private static String emptyIfNull(String value) {
        return value == null ? "" : value;
    }
}
