package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Fragments;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

    /** Every transfer syntax of PS3.6 plus an unknown UID, each with undefined and with defined lengths. */
    static Stream<Arguments> encodings() {
        return Stream.concat(TransferSyntax.all().stream().map(TransferSyntax::uid), Stream.of("1.2.3.999"))
                .flatMap(uid -> Stream.of(Arguments.of(uid, false), Arguments.of(uid, true)));
    }

    @ParameterizedTest(name = "{0} definedLengths={1}")
    @MethodSource("encodings")
    void bareDatasetRoundTrip(String tsUid, boolean definedLengths) throws IOException {
        TransferSyntax ts = TransferSyntax.of(tsUid);
        Attributes original = SampleDatasets.everyVr(ts);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).setDefinedLengths(definedLengths).writeDataset(original, ts);

        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), ts);
        Attributes read = in.readDataset(ReadOptions.keepAll());

        assertThat(SampleDatasets.canonical(read)).isEqualTo(SampleDatasets.canonical(original));
        assertThat(in.position()).isEqualTo(bytes.size());
        assertThat(in.warnings()).isEmpty();
        assertThat(read.bigEndian()).isEqualTo(ts.bigEndian());
    }

    @ParameterizedTest(name = "{0} definedLengths={1}")
    @MethodSource("encodings")
    void part10RoundTrip(String tsUid, boolean definedLengths) throws IOException {
        TransferSyntax ts = TransferSyntax.of(tsUid);
        Attributes original = SampleDatasets.everyVr(ts);
        Attributes fmi = FileMetaInformation.create(UID.CTImageStorage, "1.2.3.4", tsUid, "ARCA");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DicomOutputStream out = new DicomOutputStream(bytes).setDefinedLengths(definedLengths);
        out.writeFileMetaInformation(fmi);
        out.writeDataset(original, ts);

        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        Attributes readFmi = in.readFileMetaInformation();
        Attributes read = in.readDataset(ReadOptions.keepAll());

        assertThat(in.transferSyntax()).isEqualTo(ts);
        assertThat(readFmi.getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo("1.2.3.4");
        assertThat(SampleDatasets.canonical(read)).isEqualTo(SampleDatasets.canonical(original));
        assertThat(in.position()).isEqualTo(bytes.size());
    }

    @ParameterizedTest(name = "{0} definedLengths={1}")
    @MethodSource("encodings")
    void eachVrDecodes(String tsUid, boolean definedLengths) throws IOException {
        TransferSyntax ts = TransferSyntax.of(tsUid);
        Attributes original = SampleDatasets.everyVr(ts);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).setDefinedLengths(definedLengths).writeDataset(original, ts);

        Attributes read = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), ts)
                .readDataset(ReadOptions.keepAll());

        assertThat(SampleDatasets.tagPerVr()).hasSize(VR.values().length);
        for (Map.Entry<VR, Integer> entry : SampleDatasets.tagPerVr().entrySet()) {
            int tag = entry.getValue();
            assertThat(read.getVR(tag)).as("VR of %s", Tag.toString(tag)).isEqualTo(entry.getKey());
            assertThat(read.getStrings(tag)).as("values of %s", entry.getKey()).isEqualTo(original.getStrings(tag));
        }
    }

    @Test
    void stringGettersTrimAndSplit() {
        Attributes dataset = new Attributes();
        dataset.setString(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY");
        dataset.setString(Tag.PatientID, VR.LO, "ABC");
        dataset.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        dataset.setInt(Tag.Rows, VR.US, 512);
        dataset.setInt(Tag.InstanceNumber, VR.IS, 7);

        assertThat(dataset.getStrings(Tag.ImageType)).containsExactly("ORIGINAL", "PRIMARY");
        assertThat(dataset.getBytes(Tag.PatientID)).hasSize(4);
        assertThat(dataset.getString(Tag.PatientID)).isEqualTo("ABC");
        assertThat(dataset.getBytes(Tag.SOPInstanceUID)[5]).isZero();
        assertThat(dataset.getString(Tag.SOPInstanceUID)).isEqualTo("1.2.3");
        assertThat(dataset.getInt(Tag.Rows, -1)).isEqualTo(512);
        assertThat(dataset.getInt(Tag.InstanceNumber, -1)).isEqualTo(7);
        assertThat(dataset.getInt(Tag.Columns, -1)).isEqualTo(-1);
        assertThat(dataset.getString(Tag.Columns)).isNull();
        assertThat(dataset.remove(Tag.Rows)).isNotNull();
        assertThat(dataset.contains(Tag.Rows)).isFalse();
        assertThat(dataset.size()).isEqualTo(4);
    }

    @Test
    void elementsIterateInUnsignedTagOrder() {
        Attributes dataset = new Attributes();
        dataset.setBytes(0xFFFCFFFC, VR.OB, new byte[2]);
        dataset.setString(Tag.PatientID, VR.LO, "A");
        dataset.setBytes(0x00091010, VR.UN, new byte[2]);

        assertThat(dataset).extracting(e -> e.tag()).containsExactly(0x00091010, Tag.PatientID, 0xFFFCFFFC);
    }

    @Test
    void bigEndianSwapsBinaryValues() throws IOException {
        Attributes dataset = new Attributes();
        dataset.setInt(Tag.Rows, VR.US, 0x0102);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(dataset, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);

        byte[] encoded = bytes.toByteArray();

        assertThat(encoded).containsExactly(0x00, 0x28, 0x00, 0x10, 'U', 'S', 0x00, 0x02, 0x01, 0x02);
    }

    @Test
    void fragmentsKeepOrderAndOffsets() throws IOException {
        TransferSyntax ts = TransferSyntax.of(UID.JPEGBaseline8Bit);
        Attributes original = SampleDatasets.everyVr(ts);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(original, ts);

        Attributes read = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), ts)
                .readDataset(ReadOptions.defaults().withBulkDataThreshold(4));
        Fragments fragments = read.getFragments(Tag.PixelData);

        assertThat(fragments.size()).isEqualTo(3);
        assertThat((byte[]) fragments.items().get(0)).isEmpty();
        assertThat(fragments.items().get(1)).isInstanceOf(org.arca.dicom.data.BulkData.class);
        assertThat((byte[]) fragments.items().get(2)).containsExactly(5, 6);
    }

    @Test
    void deflatedIsSmallerThanExplicit() throws IOException {
        Attributes dataset = new Attributes();
        dataset.setBytes(Tag.PixelData, VR.OW, new byte[100_000]);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        new DicomOutputStream(deflated).writeDataset(dataset, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

        Attributes read = new DicomInputStream(new ByteArrayInputStream(deflated.toByteArray()),
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).readDataset(ReadOptions.keepAll());

        assertThat(deflated.size()).isLessThan(1000);
        assertThat(read.getBytes(Tag.PixelData)).hasSize(100_000);
    }
}
