package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;
import org.junit.jupiter.api.Test;

class DatasetParserTest {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    @Test
    void unOfUndefinedLengthIsImplicitSequence() throws IOException {
        MalformedInputTest.Bytes bytes = new MalformedInputTest.Bytes()
                .longHeader(0x00091010, "UN", UNDEFINED)
                .tagAndLength(Tag.Item, UNDEFINED)
                .tagAndLength(Tag.CodeValue, 4).raw('A', 'B', 'C', 'D')
                .tagAndLength(Tag.Rows, 2).raw(0x00, 0x02)
                .tagAndLength(Tag.ItemDelimitationItem, 0)
                .tagAndLength(Tag.SequenceDelimitationItem, 0);

        Attributes dataset = read(bytes.toByteArray(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Sequence sequence = dataset.getSequence(0x00091010);

        assertThat(sequence.size()).isEqualTo(1);
        assertThat(sequence.get(0).getString(Tag.CodeValue)).isEqualTo("ABCD");
        assertThat(sequence.get(0).getVR(Tag.CodeValue)).isEqualTo(VR.SH);
        assertThat(sequence.get(0).getInt(Tag.Rows, -1)).isEqualTo(512);
    }

    @Test
    void unSequenceInBigEndianKeepsLittleEndianItems() throws IOException {
        byte[] item = new MalformedInputTest.Bytes()
                .tagAndLength(Tag.Rows, 2).raw(0x00, 0x02)
                .tagAndLength(Tag.ItemDelimitationItem, 0)
                .toByteArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] {0x00, 0x09, 0x10, 0x10, 'U', 'N', 0, 0, -1, -1, -1, -1});
        // Items of a UN sequence of undefined length are implicit VR little endian (PS3.5 6.2.2).
        bytes.writeBytes(new MalformedInputTest.Bytes().tagAndLength(Tag.Item, UNDEFINED).toByteArray());
        bytes.writeBytes(item);
        bytes.writeBytes(new MalformedInputTest.Bytes().tagAndLength(Tag.SequenceDelimitationItem, 0).toByteArray());

        Attributes dataset = read(bytes.toByteArray(), TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        Attributes first = dataset.getSequence(0x00091010).get(0);

        assertThat(first.bigEndian()).isFalse();
        assertThat(first.getInt(Tag.Rows, -1)).isEqualTo(512);
    }

    @Test
    void definedLengthSequenceAndItems() throws IOException {
        MalformedInputTest.Bytes bytes = new MalformedInputTest.Bytes()
                .longHeader(Tag.ReferencedSeriesSequence, "SQ", 8 + 10 + 8)
                .tagAndLength(Tag.Item, 10).shortElement(Tag.CodeValue, "SH", "XY")
                .tagAndLength(Tag.Item, 0)
                .shortElement(Tag.PatientID, "LO", "P1");

        Attributes dataset = read(bytes.toByteArray(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        assertThat(dataset.getSequence(Tag.ReferencedSeriesSequence).size()).isEqualTo(2);
        assertThat(dataset.getSequence(Tag.ReferencedSeriesSequence).get(0).getString(Tag.CodeValue)).isEqualTo("XY");
        assertThat(dataset.getSequence(Tag.ReferencedSeriesSequence).get(1).isEmpty()).isTrue();
        assertThat(dataset.getString(Tag.PatientID)).isEqualTo("P1");
    }

    @Test
    void bulkDataRecordsOffset() throws IOException {
        MalformedInputTest.Bytes bytes = new MalformedInputTest.Bytes()
                .shortElement(Tag.PatientID, "LO", "P1")
                .longHeader(Tag.PixelData, "OW", 16).raw(new byte[16])
                .longHeader(0xFFFCFFFC, "OB", 0);

        Attributes dataset = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).readDataset(ReadOptions.defaults().withBulkDataThreshold(8));

        assertThat(dataset.getBulkData(Tag.PixelData).offset()).isEqualTo(10 + 12);
        assertThat(dataset.getBulkData(Tag.PixelData).length()).isEqualTo(16);
        assertThat(dataset.contains(0xFFFCFFFC)).isTrue();
    }

    private static Attributes read(byte[] bytes, TransferSyntax ts) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes), ts);
        Attributes dataset = in.readDataset(ReadOptions.keepAll());
        assertThat(in.position()).isEqualTo(bytes.length);
        return dataset;
    }
}
