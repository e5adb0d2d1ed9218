package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;

/**
 * Appends seeded INSTANCE_STORED records (SOP Instance UIDs differ between seeds) to a journal: a few patients, studies and series, and
 * now and then a new version of an instance stored before. Also dumps an index for comparison.
 */
final class SyntheticJournal {

    private final long seed;
    private final Random random;
    private final List<String> storedSopInstanceUids = new ArrayList<>();
    private final Map<String, Integer> versions = new HashMap<>();
    private final Map<String, InstanceRecord> firstRecords = new HashMap<>();
    private int instances;

    SyntheticJournal(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Appends {@code count} INSTANCE_STORED records and returns the last sequence. */
    long appendInstances(Journal journal, int count) throws IOException {
        long last = 0;
        for (int i = 0; i < count; i++) {
            InstanceRecord record = nextRecord();
            byte[] payload = new InstanceStoredEvent(InstanceStoredEvent.FORMAT_VERSION, record, null).toJsonBytes();
            last = journal.appendAndForce(JournalRecordTypes.INSTANCE_STORED, payload);
        }
        return last;
    }

    /** Appends one Storage Commitment record, which leaves the index unchanged, and returns its sequence. */
    static long appendCommitmentRequest(Journal journal) throws IOException {
        return journal.appendAndForce(JournalRecordTypes.STORAGE_COMMITMENT_REQUESTED,
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a new instance, or one time in ten a new version of an instance stored before. */
    InstanceRecord nextRecord() {
        if (!storedSopInstanceUids.isEmpty() && random.nextInt(10) == 0) {
            String sopInstanceUid = storedSopInstanceUids.get(random.nextInt(storedSopInstanceUids.size()));
            int version = versions.merge(sopInstanceUid, 1, Integer::sum);
            return withVersion(firstRecords.get(sopInstanceUid), version, random.nextLong() & Long.MAX_VALUE);
        }
        int n = ++instances;
        int patient = random.nextInt(5);
        int study = patient * 3 + random.nextInt(3);
        int series = study * 4 + random.nextInt(4);
        String sopInstanceUid = "2.25.9." + seed + "." + n;
        InstanceRecord record = new InstanceRecord(0, "PID-" + patient, "ARCA-TEST", "Patient^" + patient, "19700101",
                patient % 2 == 0 ? "F" : "M", "2.25.1." + study, "2024010" + (study % 9 + 1), "101500",
                "ACC-" + study, String.valueOf(study), "Study " + study, "Referrer^" + study, "2.25.2." + series,
                series % 2 == 0 ? "CT" : "MR", String.valueOf(series), "Series " + series, "CHEST", sopInstanceUid,
                "1.2.840.10008.5.1.4.1.1.2", String.valueOf(n), "1.2.840.10008.1.2.1", "ISO_IR 192",
                String.format("%064x", random.nextLong() & Long.MAX_VALUE), 1000 + n, 1, 1_700_000_000_000L + n,
                "SCU" + patient);
        storedSopInstanceUids.add(sopInstanceUid);
        versions.put(sopInstanceUid, 1);
        firstRecords.put(sopInstanceUid, record);
        return record;
    }

    private static InstanceRecord withVersion(InstanceRecord r, int version, long blobNumber) {
        return new InstanceRecord(0, r.patientId(), r.issuerOfPatientId(), r.patientName(), r.patientBirthDate(),
                r.patientSex(), r.studyInstanceUid(), r.studyDate(), r.studyTime(), r.accessionNumber(), r.studyId(),
                r.studyDescription(), r.referringPhysicianName(), r.seriesInstanceUid(), r.modality(),
                r.seriesNumber(), r.seriesDescription(), r.bodyPartExamined(), r.sopInstanceUid(), r.sopClassUid(),
                r.instanceNumber(), r.transferSyntaxUid(), r.specificCharacterSet(),
                String.format("%064x", blobNumber), r.sizeBytes() + version, version, r.receivedAtMillis() + version,
                r.sourceAeTitle());
    }

    /**
     * Returns every row of every table of the index except Flyway's history, each row as text, in
     * row order of all columns, so that two indexes built from the same records compare equal.
     */
    static Map<String, List<String>> dump(Index index) {
        return index.read("dump the index", reader -> {
            Map<String, List<String>> tables = new LinkedHashMap<>();
            for (String table : tableNames(reader)) {
                tables.put(table, rows(reader, table));
            }
            return tables;
        });
    }

    private static List<String> tableNames(java.sql.Connection reader) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = reader.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table'"
                + " AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history' ORDER BY name");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static List<String> rows(java.sql.Connection reader, String table) throws SQLException {
        List<String> result = new ArrayList<>();
        try (PreparedStatement statement = reader.prepareStatement("SELECT * FROM " + table);
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData columns = rows.getMetaData();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    row.append(columns.getColumnName(i)).append('=').append(rows.getString(i)).append(' ');
                }
                result.add(row.toString());
            }
        }
        result.sort(null);
        return result;
    }
}
