package org.arca.store.index;

/**
 * The index's input for one stored version of a SOP Instance: the content of
 * an INSTANCE_STORED journal record plus the attributes that C-FIND needs.
 *
 * <p>Text values are Unicode, decoded by the caller from the dataset's Specific
 * Character Set; an absent or empty attribute may be {@code null}. Dates stay in
 * DICOM DA form (YYYYMMDD) and times in TM form. {@code blobSha256} is the
 * SHA-256 of the stored Part 10 bytes in 64 lower-case hex digits.
 * {@code version} starts at 1; {@code receivedAtMillis} is epoch milliseconds.
 * {@code journalSequence} is 0 while the record is being journaled, because the
 * journal assigns the sequence; the index applies only records with a sequence.
 */
public record InstanceRecord(
        long journalSequence,
        String patientId,
        String issuerOfPatientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String studyInstanceUid,
        String studyDate,
        String studyTime,
        String accessionNumber,
        String studyId,
        String studyDescription,
        String referringPhysicianName,
        String seriesInstanceUid,
        String modality,
        String seriesNumber,
        String seriesDescription,
        String bodyPartExamined,
        String sopInstanceUid,
        String sopClassUid,
        String instanceNumber,
        String transferSyntaxUid,
        String specificCharacterSet,
        String blobSha256,
        long sizeBytes,
        int version,
        long receivedAtMillis,
        String sourceAeTitle) {

    /**
     * Checks the values the index relies on as keys and throws {@link IllegalArgumentException} naming the
     * first invalid one. Empty optional attributes become null, so that the index treats both alike.
     */
    public InstanceRecord {
        patientId = emptyToNull(patientId);
        issuerOfPatientId = emptyToNull(issuerOfPatientId);
        patientName = emptyToNull(patientName);
        patientBirthDate = emptyToNull(patientBirthDate);
        patientSex = emptyToNull(patientSex);
        studyDate = emptyToNull(studyDate);
        studyTime = emptyToNull(studyTime);
        accessionNumber = emptyToNull(accessionNumber);
        studyId = emptyToNull(studyId);
        studyDescription = emptyToNull(studyDescription);
        referringPhysicianName = emptyToNull(referringPhysicianName);
        modality = emptyToNull(modality);
        seriesNumber = emptyToNull(seriesNumber);
        seriesDescription = emptyToNull(seriesDescription);
        bodyPartExamined = emptyToNull(bodyPartExamined);
        instanceNumber = emptyToNull(instanceNumber);
        specificCharacterSet = emptyToNull(specificCharacterSet);
        sourceAeTitle = emptyToNull(sourceAeTitle);

        if (journalSequence < 0) {
            throw invalid("journalSequence", journalSequence,
                    "a journal sequence starts at 1, and 0 stands for one not assigned yet");
        }
        requireText("studyInstanceUid", studyInstanceUid);
        requireText("seriesInstanceUid", seriesInstanceUid);
        requireText("sopInstanceUid", sopInstanceUid);
        requireText("sopClassUid", sopClassUid);
        requireText("transferSyntaxUid", transferSyntaxUid);
        if (!isLowerCaseSha256Hex(blobSha256)) {
            throw invalid("blobSha256", blobSha256, "expected 64 lower-case hex digits");
        }
        if (sizeBytes < 0) {
            throw invalid("sizeBytes", sizeBytes, "a size cannot be negative");
        }
        if (version < 1) {
            throw invalid("version", version, "versions are numbered from 1");
        }
    }

    /** Checks for 64 lower-case hex digits without a regular expression, which each ingest would compile twice. */
    private static boolean isLowerCaseSha256Hex(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(name, value, "the index needs it as a key");
        }
    }

    private static IllegalArgumentException invalid(String name, Object value, String reason) {
        return new IllegalArgumentException(
                "Invalid instance record: " + name + " is '" + value + "' (" + reason + ").");
    }

    /** Returns this record with the sequence the journal assigned to it. */
    public InstanceRecord withJournalSequence(long sequence) {
        return new InstanceRecord(sequence, patientId, issuerOfPatientId, patientName, patientBirthDate, patientSex,
                studyInstanceUid, studyDate, studyTime, accessionNumber, studyId, studyDescription,
                referringPhysicianName, seriesInstanceUid, modality, seriesNumber, seriesDescription,
                bodyPartExamined, sopInstanceUid, sopClassUid, instanceNumber, transferSyntaxUid,
                specificCharacterSet, blobSha256, sizeBytes, version, receivedAtMillis, sourceAeTitle);
    }
}
