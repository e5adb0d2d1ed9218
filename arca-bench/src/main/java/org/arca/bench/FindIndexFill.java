package org.arca.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;

/**
 * Fills a data directory with many small studies for the C-FIND latency benchmark, fast: it
 * appends one {@code INSTANCE_STORED} journal record per study through {@link Journal#appendAndForce}
 * from many threads (so group commit shares the forces), then reopens the directory, which replays
 * the journal into the index exactly as a node does at start. The records carry a SHA-256 and size
 * computed over each instance's dataset bytes, but no blob is written: the directory serves C-FIND
 * only, and {@code arca verify} reports the blobs as missing.
 *
 * <p>Study {@code s} (0-based) has one series with one Secondary Capture instance and belongs to
 * patient {@code BENCH-(s % patients)}, so every Patient ID matches {@code studies / patients}
 * studies.
 *
 * <p>Usage: {@code java -cp arca-benchmarks.jar org.arca.bench.FindIndexFill DATA_DIR STUDIES
 * PATIENTS THREADS}. Prints the seconds spent in the journal and in the index replay.
 */
public final class FindIndexFill {

    private static final String UID_ROOT = "1.2.826.0.1.3680043.10.9.";
    private static final String EXPLICIT_LE = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    private FindIndexFill() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FindIndexFill DATA_DIR STUDIES PATIENTS THREADS");
            System.exit(2);
        }
        Path dataDirectory = Path.of(args[0]);
        int studies = Integer.parseInt(args[1]);
        int patients = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);

        long started = System.nanoTime();
        try (DataDirectory data = DataDirectory.openForWriting(dataDirectory, Clock.systemUTC())) {
            appendAll(data.journal(), studies, patients, threads);
        }
        long journaled = System.nanoTime();
        try (DataDirectory data = DataDirectory.openForWriting(dataDirectory, Clock.systemUTC())) {
            // Opening replays every journal record into the index, as at a node's start.
        }
        long indexed = System.nanoTime();
        System.out.printf("journaled %d studies in %.1f s, indexed them in %.1f s%n", studies,
                (journaled - started) / 1e9, (indexed - journaled) / 1e9);
    }

    /** Appends study 0 to studies - 1 on {@code threads} threads, each taking the next study number. */
    private static void appendAll(Journal journal, int studies, int patients, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int study = next.getAndIncrement(); study < studies; study = next.getAndIncrement()) {
                        journal.appendAndForce(JournalRecordTypes.INSTANCE_STORED, payload(study, patients));
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Encodes the INSTANCE_STORED payload of the one instance of a study, as the ingest would journal it. */
    private static byte[] payload(int study, int patients) throws IOException {
        String sopInstanceUid = UID_ROOT + study + ".1.1";
        byte[] dataset = dataset(study, patients, sopInstanceUid);
        MessageDigest sha256 = sha256();
        sha256.update(dataset);
        String patient = patientId(study % patients);
        InstanceRecord record = new InstanceRecord(0, patient, null, "Bench^Patient" + study % patients,
                "19700101", "O", UID_ROOT + study, studyDate(study), null, "A" + study, "S" + study,
                "Find benchmark study " + study, null, UID_ROOT + study + ".1", "OT", "1", null, null,
                sopInstanceUid, UID.SecondaryCaptureImageStorage, "1", EXPLICIT_LE, null,
                HexFormat.of().formatHex(sha256.digest()), dataset.length, 1, System.currentTimeMillis(),
                "BENCHFILL");
        return new InstanceStoredEvent(InstanceStoredEvent.FORMAT_VERSION, record, null).toJsonBytes();
    }

    private static String studyDate(int study) {
        return String.format("2026%02d%02d", 1 + study % 12, 1 + study % 28);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }

    /** Returns the dataset (without file meta information) of the one instance of a study. */
    static byte[] dataset(int study, int patients, String sopInstanceUid) throws IOException {
        Attributes dataset = new Attributes();
        dataset.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        dataset.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        dataset.setString(Tag.StudyDate, VR.DA, studyDate(study));
        dataset.setString(Tag.AccessionNumber, VR.SH, "A" + study);
        dataset.setString(Tag.Modality, VR.CS, "OT");
        dataset.setString(Tag.StudyDescription, VR.LO, "Find benchmark study " + study);
        dataset.setString(Tag.PatientName, VR.PN, "Bench^Patient" + study % patients);
        dataset.setString(Tag.PatientID, VR.LO, patientId(study % patients));
        dataset.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        dataset.setString(Tag.PatientSex, VR.CS, "O");
        dataset.setString(Tag.StudyInstanceUID, VR.UI, UID_ROOT + study);
        dataset.setString(Tag.SeriesInstanceUID, VR.UI, UID_ROOT + study + ".1");
        dataset.setString(Tag.StudyID, VR.SH, "S" + study);
        dataset.setString(Tag.SeriesNumber, VR.IS, "1");
        dataset.setString(Tag.InstanceNumber, VR.IS, "1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return bytes.toByteArray();
    }

    static String patientId(int patient) {
        return "BENCH-" + patient;
    }
}
