package org.arca.store.query;

import org.arca.store.index.InstanceRecord;

/** Builds instance records for query tests; every attribute not set has a plausible value. */
final class TestRecords {

    long sequence = 1;
    String patientId = "PID-1";
    String patientName = "Doe^Jane";
    String birthDate = "19700101";
    String sex = "F";
    String studyUid = "2.25.1";
    String studyDate = "20240115";
    String studyTime = "101500";
    String accessionNumber = "ACC-1";
    String studyDescription = "CT Chest";
    String referringPhysician = "House^Gregory";
    String seriesUid = "2.25.1.1";
    String modality = "CT";
    String seriesNumber = "1";
    String sopInstanceUid = "2.25.1.1.1";
    String sopClassUid = "1.2.840.10008.5.1.4.1.1.2";
    String instanceNumber = "1";
    int version = 1;

    TestRecords patient(String id, String name) {
        patientId = id;
        patientName = name;
        return this;
    }

    TestRecords study(String uid, String date, String time, String accession) {
        studyUid = uid;
        studyDate = date;
        studyTime = time;
        accessionNumber = accession;
        return this;
    }

    TestRecords series(String uid, String seriesModality) {
        seriesUid = uid;
        modality = seriesModality;
        return this;
    }

    TestRecords instance(String uid, int versionNumber) {
        sopInstanceUid = uid;
        version = versionNumber;
        return this;
    }

    InstanceRecord build(long journalSequence) {
        return new InstanceRecord(journalSequence, patientId, "", patientName, birthDate, sex, studyUid, studyDate,
                studyTime, accessionNumber, "1", studyDescription, referringPhysician, seriesUid, modality,
                seriesNumber, "Series", "CHEST", sopInstanceUid, sopClassUid, instanceNumber, "1.2.840.10008.1.2.1",
                "ISO_IR 192", String.format("%064x", journalSequence), 1024, version, 1_700_000_000_000L, "TEST");
    }
}
