package org.arca.store.retention;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.cdp.event.DeletedEvent;
import org.arca.store.index.InstanceState;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.ingest.JournalRecordTypes;

/** A data directory on a test clock, with helpers that store and delete real instances. */
final class RetentionFixture implements AutoCloseable {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    final Path root;
    final TestClock clock;
    DataDirectory data;

    RetentionFixture(Path root, TestClock clock) throws IOException {
        this.root = root;
        this.clock = clock;
        this.data = DataDirectory.openForWriting(root, clock);
    }

    /** Stores one CT instance; {@code patientName} changes the bytes, so a second call makes a new version. */
    IngestResult store(String studyUid, String sopInstanceUid, String patientName) throws Exception {
        byte[] dataset = dataset(studyUid, sopInstanceUid, patientName);
        return data.ingestService().ingest(new IngestRequest(CT, sopInstanceUid, UID.ExplicitVRLittleEndian, "CT1"),
                new ByteArrayInputStream(dataset));
    }

    /**
     * Deletes a study with a DELETED journal record as the archive's change API writes it, then
     * reopens the data directory, whose start replays the record into the index.
     */
    long deleteStudy(String studyUid) throws IOException {
        List<String> sopInstanceUids = data.index().instanceStatesOfStudy(studyUid).stream()
                .filter(state -> !state.deleted()).map(InstanceState::sopInstanceUid).toList();
        DeletedEvent event = new DeletedEvent(DeletedEvent.FORMAT_VERSION, "STUDY", studyUid, studyUid, "alice",
                "wrong patient", sopInstanceUids);
        long sequence = data.journal().appendAndForce(JournalRecordTypes.DELETED, event.toJsonBytes());
        reopen();
        return sequence;
    }

    void reopen() throws IOException {
        data.close();
        data = DataDirectory.openForWriting(root, clock);
    }

    static byte[] dataset(String studyUid, String sopInstanceUid, String patientName) {
        Attributes attributes = new Attributes();
        attributes.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        attributes.setString(Tag.SOPClassUID, VR.UI, CT);
        attributes.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        attributes.setString(Tag.StudyDate, VR.DA, "20261204");
        attributes.setString(Tag.Modality, VR.CS, "CT");
        attributes.setString(Tag.PatientName, VR.PN, patientName);
        attributes.setString(Tag.PatientID, VR.LO, "PID-1");
        attributes.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        attributes.setString(Tag.SeriesInstanceUID, VR.UI, studyUid + ".1");
        attributes.setBytes(Tag.PixelData, VR.OW, new byte[4096]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new DicomOutputStream(bytes).writeDataset(attributes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void close() throws IOException {
        data.close();
    }
}
