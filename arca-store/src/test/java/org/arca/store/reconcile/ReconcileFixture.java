package org.arca.store.reconcile;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.TempBlob;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.IngestServiceTestData;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;

/** A real data directory with a few ingested instances, and ways to break it by hand. */
final class ReconcileFixture implements AutoCloseable {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String UID_PREFIX = "1.2.826.0.1.3680043.8.498.7";

    final Path root;
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
    DataDirectory data;
    final List<IngestResult> stored = new ArrayList<>();

    ReconcileFixture(Path root, int instances) throws Exception {
        this.root = root;
        this.data = DataDirectory.openForWriting(root, clock);
        for (int i = 1; i <= instances; i++) {
            stored.add(ingest(UID_PREFIX + "." + i, "DOE^JANE"));
        }
    }

    IngestResult ingest(String sopInstanceUid, String patientName) throws Exception {
        byte[] dataset = IngestServiceTestData.dataset(sopInstanceUid, patientName,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return data.ingestService().ingest(new IngestRequest(CT, sopInstanceUid,
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), "MODALITY"), new ByteArrayInputStream(dataset));
    }

    ReconcileReport reconcile(boolean repair) throws Exception {
        return reconcile(ReconcileOptions.offline(repair));
    }

    ReconcileReport reconcile(ReconcileOptions options) throws Exception {
        return new Reconciler(data, options, clock).run(ReconcileListener.NONE);
    }

    Path blobPath(IngestResult result) {
        return data.blobs().pathOf(result.blobId());
    }

    /** Publishes bytes that no journal record references, as a crash after the blob publish leaves them. */
    BlobId publishOrphan(byte[] bytes) throws Exception {
        TempBlob temp = data.blobs().createTemp();
        temp.outputStream().write(bytes);
        return data.blobs().publishAndFsync(temp);
    }

    /** Returns the INSTANCE_STORED record of the journal sequence. */
    InstanceRecord journalRecord(long sequence) throws Exception {
        try (JournalReader reader = data.journal().read(sequence)) {
            JournalRecord record = reader.next();
            return InstanceStoredEvent.fromJsonBytes(record.payload(), record.sequence()).instance();
        }
    }

    /** Appends an INSTANCE_STORED record without touching the index, as a crash before the index update does. */
    long appendWithoutIndex(InstanceRecord record) throws Exception {
        return data.journal().appendAndForce(JournalRecordTypes.INSTANCE_STORED,
                new InstanceStoredEvent(InstanceStoredEvent.FORMAT_VERSION, record.withJournalSequence(0), null)
                        .toJsonBytes());
    }

    /** Runs SQL on the index file through a second connection, as an outside change would. */
    void updateIndex(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + DataDirectory.indexOf(root));
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 5000");
            statement.executeUpdate(sql);
        }
    }

    List<ReconcileAction> reconcileActions() throws Exception {
        List<ReconcileAction> actions = new ArrayList<>();
        try (JournalReader reader = data.journal().read(1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                if (record.type() == JournalRecordTypes.RECONCILE_ACTION) {
                    actions.add(ReconcileAction.fromJsonBytes(record.payload(), record.sequence()));
                }
            }
        }
        return actions;
    }

    static void makeWritable(Path file) throws Exception {
        file.toFile().setWritable(true);
    }

    static void flipOneByte(Path file) throws Exception {
        makeWritable(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
    }

    @Override
    public void close() throws Exception {
        data.close();
    }
}
