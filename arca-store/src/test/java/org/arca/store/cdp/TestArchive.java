package org.arca.store.cdp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.TestClock;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;
import org.arca.store.ingest.IngestRequest;
import org.arca.store.ingest.IngestResult;
import org.arca.store.query.FindQueries;
import org.arca.store.query.FindQuery;
import org.arca.store.query.InformationModel;
import org.arca.store.query.Matching;
import org.arca.store.query.QueryAttribute;
import org.arca.store.query.QueryLevel;
import org.arca.store.query.QueryMatch;

/**
 * A real data directory for the change tests, with a clock the test moves, an ingest of small CT
 * datasets, and a snapshot of everything C-FIND returns.
 */
final class TestArchive implements AutoCloseable {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    /** The attributes of one test instance; each setter returns a copy. */
    record Instance(String patientId, String patientName, String studyUid, String accessionNumber,
            String seriesUid, String modality, String sopUid, String aeTitle, int pixelSeed) {

        static Instance of(String patientId, String studyUid, String seriesUid, String sopUid) {
            return new Instance(patientId, "Patient^" + patientId, studyUid, "ACC-" + studyUid, seriesUid, "CT",
                    sopUid, "CT01", 0);
        }

        Instance patientName(String name) {
            return new Instance(patientId, name, studyUid, accessionNumber, seriesUid, modality, sopUid, aeTitle,
                    pixelSeed);
        }

        Instance aeTitle(String title) {
            return new Instance(patientId, patientName, studyUid, accessionNumber, seriesUid, modality, sopUid, title,
                    pixelSeed);
        }

        Instance otherBytes(int seed) {
            return new Instance(patientId, patientName, studyUid, accessionNumber, seriesUid, modality, sopUid,
                    aeTitle, seed);
        }

        byte[] dataset() {
            Attributes attributes = new Attributes();
            attributes.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            attributes.setString(Tag.SOPClassUID, VR.UI, CT);
            attributes.setString(Tag.SOPInstanceUID, VR.UI, sopUid);
            attributes.setString(Tag.StudyDate, VR.DA, "20261204");
            attributes.setString(Tag.AccessionNumber, VR.SH, accessionNumber);
            attributes.setString(Tag.Modality, VR.CS, modality);
            attributes.setString(Tag.PatientName, VR.PN, patientName);
            attributes.setString(Tag.PatientID, VR.LO, patientId);
            attributes.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
            attributes.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
            byte[] pixels = new byte[1024];
            pixels[0] = (byte) pixelSeed;
            attributes.setBytes(Tag.PixelData, VR.OW, pixels);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                new DicomOutputStream(bytes).writeDataset(attributes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return bytes.toByteArray();
        }
    }

    final Path root;
    final TestClock clock;
    final DataDirectory data;

    private TestArchive(Path root, TestClock clock, DataDirectory data) {
        this.root = root;
        this.clock = clock;
        this.data = data;
    }

    static TestArchive open(Path root, Instant start) throws IOException {
        TestClock clock = new TestClock(start);
        return new TestArchive(root, clock, DataDirectory.openForWriting(root, clock));
    }

    /** Reopens the same directory, which replays the journal records the index lacks. */
    TestArchive reopen() throws IOException {
        data.close();
        return new TestArchive(root, clock, DataDirectory.openForWriting(root, clock));
    }

    ArchiveChanges changes() {
        return data.changes();
    }

    Index index() {
        return data.index();
    }

    IngestResult store(Instance instance) throws Exception {
        return data.ingestService().ingest(new IngestRequest(CT, instance.sopUid(), UID.ExplicitVRLittleEndian,
                instance.aeTitle()), new ByteArrayInputStream(instance.dataset()));
    }

    /** Returns every C-FIND match at every level of the index, one line per match. */
    static List<String> snapshot(Index index) {
        FindQueries queries = new FindQueries(index);
        List<String> lines = new ArrayList<>();
        try {
            for (QueryMatch patient : find(queries, InformationModel.PATIENT_ROOT, QueryLevel.PATIENT, Map.of())) {
                lines.add("PATIENT " + patient);
            }
            for (QueryMatch study : find(queries, InformationModel.STUDY_ROOT, QueryLevel.STUDY, Map.of())) {
                lines.add("STUDY " + study);
                String studyUid = study.value(QueryAttribute.STUDY_INSTANCE_UID);
                Map<QueryAttribute, Matching> inStudy = Map.of(QueryAttribute.STUDY_INSTANCE_UID,
                        new Matching.SingleValue(studyUid));
                for (QueryMatch series : find(queries, InformationModel.STUDY_ROOT, QueryLevel.SERIES, inStudy)) {
                    lines.add("  SERIES " + series);
                    Map<QueryAttribute, Matching> inSeries = new EnumMap<>(inStudy);
                    inSeries.put(QueryAttribute.SERIES_INSTANCE_UID,
                            new Matching.SingleValue(series.value(QueryAttribute.SERIES_INSTANCE_UID)));
                    for (QueryMatch image : find(queries, InformationModel.STUDY_ROOT, QueryLevel.IMAGE, inSeries)) {
                        lines.add("    IMAGE " + image);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("C-FIND snapshot failed", e);
        }
        return lines;
    }

    List<String> snapshot() {
        return snapshot(index());
    }

    /** Runs one query that also selects every count of the level. */
    private static List<QueryMatch> find(FindQueries queries, InformationModel model, QueryLevel level,
            Map<QueryAttribute, Matching> keys) throws Exception {
        Map<QueryAttribute, Matching> withCounts = new EnumMap<>(QueryAttribute.class);
        withCounts.putAll(keys);
        for (QueryAttribute attribute : QueryAttribute.values()) {
            if (attribute.kind() == QueryAttribute.Kind.COUNT && attribute.isAvailableAt(level, model)) {
                withCounts.put(attribute, new Matching.Universal());
            }
        }
        List<QueryMatch> matches = new ArrayList<>();
        queries.find(FindQuery.of(model, level, withCounts, true), matches::add);
        return matches;
    }

    @Override
    public void close() throws IOException {
        data.close();
    }
}
