package org.arca.store.index;

/** Builds instance records for tests, with plausible values for every attribute not set. */
final class RecordBuilder {

    long journalSequence = 1;
    String patientId = "PID-1";
    String issuerOfPatientId = "HOSP";
    String patientName = "Doe^Jane";
    String patientBirthDate = "19700101";
    String patientSex = "F";
    String studyInstanceUid = "2.25.1";
    String studyDate = "20240115";
    String studyTime = "101500";
    String accessionNumber = "ACC-1";
    String studyId = "1";
    String studyDescription = "CT Chest";
    String referringPhysicianName = "House^Gregory";
    String seriesInstanceUid = "2.25.1.1";
    String modality = "CT";
    String seriesNumber = "1";
    String seriesDescription = "Axial 1mm";
    String bodyPartExamined = "CHEST";
    String sopInstanceUid = "2.25.1.1.1";
    String sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
    String instanceNumber = "1";
    String transferSyntaxUid = "1.2.840.10008.1.2.1";
    String specificCharacterSet = "ISO_IR 192";
    String blobSha256 = sha256Of(1);
    long sizeBytes = 524_288;
    int version = 1;
    long receivedAtMillis = 1_700_000_000_000L;
    String sourceAeTitle = "CT01";

    /** Returns a distinct, valid SHA-256 hex string for each n. */
    static String sha256Of(long n) {
        return String.format("%064x", n);
    }

    RecordBuilder sequence(long value) {
        journalSequence = value;
        return this;
    }

    RecordBuilder patient(String id, String name) {
        patientId = id;
        patientName = name;
        return this;
    }

    RecordBuilder study(String uid, String date, String accession) {
        studyInstanceUid = uid;
        studyDate = date;
        accessionNumber = accession;
        return this;
    }

    RecordBuilder series(String uid, String seriesModality) {
        seriesInstanceUid = uid;
        modality = seriesModality;
        return this;
    }

    RecordBuilder instance(String uid, int versionNumber, String sha256) {
        sopInstanceUid = uid;
        version = versionNumber;
        blobSha256 = sha256;
        return this;
    }

    InstanceRecord build() {
        return new InstanceRecord(journalSequence, patientId, issuerOfPatientId, patientName, patientBirthDate,
                patientSex, studyInstanceUid, studyDate, studyTime, accessionNumber, studyId, studyDescription,
                referringPhysicianName, seriesInstanceUid, modality, seriesNumber, seriesDescription,
                bodyPartExamined, sopInstanceUid, sopClassUid, instanceNumber, transferSyntaxUid,
                specificCharacterSet, blobSha256, sizeBytes, version, receivedAtMillis, sourceAeTitle);
    }
}
