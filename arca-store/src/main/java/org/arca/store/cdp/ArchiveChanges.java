package org.arca.store.cdp;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Deletes, undeletes, attribute updates and point-in-time restores. Each change is one journal
 * record, forced before the method returns and applied to the index, so query and retrieve see
 * it at once and a later restore can undo it. Bytes are never removed here: retention reclaims
 * them later.
 */
public final class ArchiveChanges {

    // TODO: contract skeleton for parallel work; the cdp branch replaces every body below.

    public ChangeResult delete(ChangeLevel level, String uid, ChangeAuthor author)
            throws ChangeException, IOException {
        throw new UnsupportedOperationException("delete");
    }

    public ChangeResult undelete(ChangeLevel level, String uid, ChangeAuthor author)
            throws ChangeException, IOException {
        throw new UnsupportedOperationException("undelete");
    }

    /**
     * Sets attributes of a study by DICOM keyword; patient-level keywords (PatientID,
     * IssuerOfPatientID, PatientName, PatientBirthDate, PatientSex) update the study's patient.
     */
    public ChangeResult updateStudy(String studyInstanceUid, Map<String, String> keywordValues, ChangeAuthor author)
            throws ChangeException, IOException {
        throw new UnsupportedOperationException("updateStudy");
    }

    public List<HistoryEntry> history(String studyInstanceUid) throws ChangeException, IOException {
        throw new UnsupportedOperationException("history");
    }

    /** Lists what a restore would change; {@code studyInstanceUid} null means the whole archive. */
    public RestorePlan planRestore(Instant asOf, String studyInstanceUid) throws ChangeException, IOException {
        throw new UnsupportedOperationException("planRestore");
    }

    public ChangeResult restore(Instant asOf, String studyInstanceUid, ChangeAuthor author)
            throws ChangeException, IOException {
        throw new UnsupportedOperationException("restore");
    }
}
