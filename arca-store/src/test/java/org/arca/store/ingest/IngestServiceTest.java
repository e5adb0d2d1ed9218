package org.arca.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.store.DataDirectory;
import org.arca.store.blob.BlobId;
import org.arca.store.index.InstanceVersion;
import org.arca.store.repair.BlobDamage;
import org.arca.store.repair.BlobDamageTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The ingest transaction against a real data directory: blobs, journal and index on disk. */
class IngestServiceTest {

    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String SOP_INSTANCE = "1.2.826.0.1.3680043.8.498.1";

    @TempDir
    Path temp;

    private DataDirectory data;

    @BeforeEach
    void open() throws IOException {
        data = DataDirectory.openForWriting(temp.resolve("arca-data"), Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        data.close();
    }

    @Test
    void blobIsMetaPlusExactDataset() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        IngestResult result = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);

        byte[] blob = Files.readAllBytes(data.blobs().pathOf(result.blobId()));
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.duplicate()).isFalse();
        assertThat(blob.length).isEqualTo(result.sizeBytes());
        assertThat(Arrays.copyOfRange(blob, blob.length - dataset.length, blob.length)).isEqualTo(dataset);
        DicomInputStream reader = new DicomInputStream(new ByteArrayInputStream(blob));
        Attributes meta = reader.readFileMetaInformation();
        assertThat(meta.getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo(SOP_INSTANCE);
        assertThat(meta.getString(Tag.TransferSyntaxUID)).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(meta.getString(Tag.SourceApplicationEntityTitle)).isEqualTo("MODALITY");
        assertThat(blob.length - dataset.length).isEqualTo(reader.position());
    }

    @Test
    void datasetInSmallReadsIsStoredExactly() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        // PDVs can be of any length: hand the dataset over 7 bytes per read, across every buffer edge.
        InputStream smallReads = new FilterInputStream(new ByteArrayInputStream(dataset)) {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return super.read(buffer, offset, Math.min(length, 7));
            }
        };

        IngestResult result = data.ingestService().ingest(new IngestRequest(CT, SOP_INSTANCE,
                UID.ExplicitVRLittleEndian, "MODALITY"), smallReads);

        byte[] blob = Files.readAllBytes(data.blobs().pathOf(result.blobId()));
        assertThat(Arrays.copyOfRange(blob, blob.length - dataset.length, blob.length)).isEqualTo(dataset);
        assertThat(data.index().currentVersion(SOP_INSTANCE)).map(InstanceVersion::blobSha256)
                .contains(result.blobId().hex());
    }

    @Test
    void indexHoldsDecodedAttributes() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "Wang^XiaoDong=王^小東", TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

        ingest(SOP_INSTANCE, dataset, UID.ImplicitVRLittleEndian);

        InstanceVersion version = data.index().currentVersion(SOP_INSTANCE).orElseThrow();
        assertThat(version.journalSequence()).isEqualTo(1);
        assertThat(data.index().patients().get(0).patientName()).isEqualTo("Wang^XiaoDong=王^小東");
        assertThat(data.journal().lastSequence()).isEqualTo(1);
    }

    @Test
    void sameBytesAgainIsNoOp() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        IngestResult first = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);
        IngestResult second = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);

        assertThat(second.duplicate()).isTrue();
        assertThat(second.blobId()).isEqualTo(first.blobId());
        assertThat(data.journal().lastSequence()).isEqualTo(1);
        assertThat(data.index().versions(SOP_INSTANCE)).hasSize(1);
    }

    /**
     * The same bytes again, after their blob file was lost, restore the file, journal the repair (which
     * closes the open damage finding) and log one warning.
     */
    @Test
    void sameBytesRestoreMissingBlob() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        IngestResult first = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);
        data.blobs().writeOutStagedAndFsync();
        Path blobFile = data.blobs().pathOf(first.blobId());
        Files.delete(blobFile);
        data.repairs().appendDamageAndForce(new BlobDamage(BlobDamage.FORMAT_VERSION, SOP_INSTANCE, 1,
                first.blobId().hex(), blobFile.toString(), "missing", "C-GET", 1_000L));
        assertThat(BlobDamageTable.countOpen(data.index())).as("open findings before the repair").isEqualTo(1);
        Logger logger = (Logger) LoggerFactory.getLogger(IngestService.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);

        IngestResult again;
        IngestResult third;
        try {
            again = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);
            third = ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian);
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(again.duplicate()).as("second store is a duplicate").isTrue();
        assertThat(third.duplicate()).as("third store is a duplicate").isTrue();
        assertThat(data.blobs().verify(first.blobId()).isOk()).as("blob after the second store").isTrue();
        assertThat(data.journal().lastSequence()).as("journal records: stored, damage, repair").isEqualTo(3);
        assertThat(BlobDamageTable.countOpen(data.index())).as("open findings after the repair").isZero();
        assertThat(BlobDamageTable.count(data.index())).as("findings after the repair").isEqualTo(1);
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .as("log lines of the second and third store")
                .filteredOn(line -> line.contains("restored it")).hasSize(1);
    }

    @Test
    void differentBytesBecomeNewVersion() throws Exception {
        IngestResult first = ingest(SOP_INSTANCE,
                dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), UID.ExplicitVRLittleEndian);
        IngestResult second = ingest(SOP_INSTANCE,
                dataset(SOP_INSTANCE, "DOE^JOHN", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), UID.ExplicitVRLittleEndian);

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.isNewVersion()).isTrue();
        List<InstanceVersion> versions = data.index().versions(SOP_INSTANCE);
        assertThat(versions).extracting(InstanceVersion::version).containsExactly(1, 2);
        assertThat(data.blobs().exists(first.blobId())).as("first version kept").isTrue();
        assertThat(data.index().currentVersion(SOP_INSTANCE).map(InstanceVersion::blobSha256))
                .isEqualTo(Optional.of(second.blobId().hex()));
    }

    @Test
    void truncatedDatasetIsRejectedAndLeavesNothing() throws Exception {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] truncated = Arrays.copyOf(dataset, dataset.length - 3);

        assertThatThrownBy(() -> ingest(SOP_INSTANCE, truncated, UID.ExplicitVRLittleEndian))
                .isInstanceOf(IngestException.class)
                .satisfies(e -> assertThat(((IngestException) e).reason())
                        .isEqualTo(IngestException.Reason.INVALID_DATASET));

        assertThat(data.journal().lastSequence()).isZero();
        assertThat(data.index().currentVersion(SOP_INSTANCE)).isEmpty();
        try (var blobs = data.blobs().list()) {
            assertThat(blobs).isEmpty();
        }
        try (var tempFiles = Files.list(data.blobs().root().resolve("tmp"))) {
            assertThat(tempFiles).isEmpty();
        }
    }

    @Test
    void invalidUidIsRejected() {
        byte[] dataset = dataset("1.2.03.4", "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        assertThatThrownBy(() -> ingest("1.2.03.4", dataset, UID.ExplicitVRLittleEndian))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("Affected SOP Instance UID '1.2.03.4' is invalid");
    }

    @Test
    void mismatchedSopInstanceIsRejected() {
        byte[] dataset = dataset(SOP_INSTANCE + "9", "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        assertThatThrownBy(() -> ingest(SOP_INSTANCE, dataset, UID.ExplicitVRLittleEndian))
                .isInstanceOf(IngestException.class)
                .satisfies(e -> assertThat(((IngestException) e).reason())
                        .isEqualTo(IngestException.Reason.DATASET_MISMATCH));
    }

    @Test
    void deflatedAndBigEndianAreStoredAsReceived() throws Exception {
        for (TransferSyntax ts : List.of(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
            String uid = SOP_INSTANCE + "." + (ts.bigEndian() ? 2 : 3);
            byte[] dataset = dataset(uid, "DOE^JANE", ts);

            IngestResult result = ingest(uid, dataset, ts.uid());

            byte[] blob = Files.readAllBytes(data.blobs().pathOf(result.blobId()));
            assertThat(Arrays.copyOfRange(blob, blob.length - dataset.length, blob.length)).isEqualTo(dataset);
            assertThat(data.index().currentVersion(uid)).isPresent();
        }
    }

    @Test
    void reopenReplaysJournalIntoLostIndex() throws Exception {
        ingest(SOP_INSTANCE, dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                UID.ExplicitVRLittleEndian);
        data.close();
        Path root = temp.resolve("arca-data");
        Files.delete(DataDirectory.indexOf(root));
        Files.deleteIfExists(DataDirectory.indexOf(root).resolveSibling("arca.sqlite-wal"));
        Files.deleteIfExists(DataDirectory.indexOf(root).resolveSibling("arca.sqlite-shm"));

        data = DataDirectory.openForWriting(root, Clock.systemUTC());

        assertThat(data.index().currentVersion(SOP_INSTANCE)).isPresent();
        assertThat(data.index().lastAppliedJournalSequence()).isEqualTo(1);
    }

    private IngestResult ingest(String sopInstanceUid, byte[] dataset, String transferSyntaxUid) throws Exception {
        return data.ingestService().ingest(new IngestRequest(CT, sopInstanceUid, transferSyntaxUid, "MODALITY"),
                new ByteArrayInputStream(dataset));
    }

    /** A small CT dataset; the character set is ISO_IR 192 so that any name can be encoded. */
    static byte[] dataset(String sopInstanceUid, String patientName, TransferSyntax ts) {
        Attributes attributes = new Attributes();
        attributes.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        attributes.setString(Tag.SOPClassUID, VR.UI, CT);
        attributes.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        attributes.setString(Tag.StudyDate, VR.DA, "20261204");
        attributes.setString(Tag.Modality, VR.CS, "CT");
        attributes.setString(Tag.PatientName, VR.PN, patientName);
        attributes.setString(Tag.PatientID, VR.LO, "PID-1");
        attributes.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.100");
        attributes.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.8.498.101");
        attributes.setBytes(Tag.PixelData, VR.OW, new byte[128 * 1024]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new DicomOutputStream(bytes).writeDataset(attributes, ts);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    @Test
    void readOptionsKeepIndexValues() throws IOException {
        byte[] dataset = dataset(SOP_INSTANCE, "DOE^JANE", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Attributes parsed = new DicomInputStream(new ByteArrayInputStream(dataset),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).readDataset(ReadOptions.defaults()
                        .withBulkDataThreshold(64 * 1024));
        assertThat(parsed.getString(Tag.PatientName)).isEqualTo("DOE^JANE");
        assertThat(parsed.getBulkData(Tag.PixelData)).isNotNull();
        assertThat(BlobId.isValid("0".repeat(64))).isTrue();
    }
}
