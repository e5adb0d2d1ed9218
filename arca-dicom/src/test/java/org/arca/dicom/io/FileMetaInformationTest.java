package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.arca.dicom.Implementation;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.arca.dicom.uid.Uids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileMetaInformationTest {

    @TempDir
    Path dir;

    @Test
    void createHasRequiredElements() {
        Attributes fmi = FileMetaInformation.create(UID.CTImageStorage, "1.2.3", UID.ExplicitVRLittleEndian, "ARCA");

        assertThat(fmi.getBytes(Tag.FileMetaInformationVersion)).containsExactly(0, 1);
        assertThat(fmi.getString(Tag.MediaStorageSOPClassUID)).isEqualTo(UID.CTImageStorage);
        assertThat(fmi.getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo("1.2.3");
        assertThat(fmi.getString(Tag.TransferSyntaxUID)).isEqualTo(UID.ExplicitVRLittleEndian);
        assertThat(fmi.getString(Tag.ImplementationClassUID)).isEqualTo(Implementation.CLASS_UID);
        assertThat(fmi.getString(Tag.ImplementationVersionName)).isEqualTo("ARCA_0_1");
        assertThat(fmi.getString(Tag.SourceApplicationEntityTitle)).isEqualTo("ARCA");
        assertThat(Uids.isValid(Implementation.CLASS_UID)).isTrue();
    }

    @Test
    void groupLengthCountsFollowingElements() throws IOException {
        Attributes fmi = FileMetaInformation.create(UID.CTImageStorage, "1.2.3", UID.ExplicitVRLittleEndian, "ARCA");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeFileMetaInformation(fmi);

        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Attributes read = in.readFileMetaInformation();

        byte[] written = bytes.toByteArray();
        assertThat(Arrays.copyOfRange(written, 0, 128)).containsOnly(0);
        assertThat(new String(written, 128, 4, StandardCharsets.US_ASCII)).isEqualTo("DICM");
        assertThat(read.getInt(Tag.FileMetaInformationGroupLength, -1)).isEqualTo(written.length - 132 - 12);
        assertThat(in.position()).isEqualTo(written.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian,
        UID.DeflatedExplicitVRLittleEndian, UID.JPEGBaseline8Bit})
    void dcmdumpReadsWrittenFile(String tsUid) throws IOException, InterruptedException {
        TransferSyntax ts = TransferSyntax.of(tsUid);
        Attributes dataset = SampleDatasets.everyVr(ts);
        dataset.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.2.1");
        Path file = dir.resolve("out.dcm");
        try (OutputStream out = Files.newOutputStream(file)) {
            DicomOutputStream dicom = new DicomOutputStream(out);
            dicom.writeFileMetaInformation(FileMetaInformation.create(UID.CTImageStorage, "1.2.3", tsUid, "ARCA"));
            dicom.writeDataset(dataset, ts);
        }

        ProcessBuilder builder = new ProcessBuilder("dcmdump", "-q", "+P", "0020,000d", file.toString()).redirectErrorStream(true);
        builder.environment().put("TCP_NODELAY", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("[1.2.826.0.1.3680043.2.1]").doesNotContain("E:").doesNotContain("W:");
    }

    @ParameterizedTest
    @ValueSource(strings = {UID.ImplicitVRLittleEndian, UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian})
    void sniffsDatasetWithoutMeta(String tsUid) throws IOException {
        TransferSyntax ts = TransferSyntax.of(tsUid);
        Attributes dataset = SampleDatasets.everyVr(ts);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(dataset, ts);

        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()));

        assertThat(in.readFileMetaInformation()).isNull();
        assertThat(in.transferSyntax()).isEqualTo(ts);
        assertThat(SampleDatasets.canonical(in.readDataset(ReadOptions.keepAll()))).isEqualTo(SampleDatasets.canonical(dataset));
    }

    @Test
    void readsMetaWithoutPreamble() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes);
        out.writeFileMetaInformation(FileMetaInformation.create(UID.CTImageStorage, "1.2.3", UID.ImplicitVRLittleEndian, null));
        Attributes dataset = new Attributes();
        dataset.setString(Tag.PatientID, VR.LO, "P1");
        out.writeDataset(dataset, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        byte[] withoutPreamble = Arrays.copyOfRange(bytes.toByteArray(), 132, bytes.size());

        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(withoutPreamble));

        assertThat(in.readFileMetaInformation().getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo("1.2.3");
        assertThat(in.readDataset(ReadOptions.keepAll()).getString(Tag.PatientID)).isEqualTo("P1");
        assertThat(in.position()).isEqualTo(withoutPreamble.length);
    }
}
