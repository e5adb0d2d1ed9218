package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.uid.TransferSyntax;
import org.junit.jupiter.api.Test;

/** Malformed explicit VR little endian input; each case asserts the reported offset and tag. */
class MalformedInputTest {

    private static final long UNDEFINED = 0xFFFFFFFFL;

    @Test
    void truncatedHeader() {
        Bytes bytes = new Bytes().shortElement(Tag.PatientID, "LO", "AB").raw(0x10, 0x00, 0x20);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(13);
        assertThat(e.getMessage()).contains("element header").contains("offset 13");
    }

    @Test
    void truncatedValue() {
        Bytes bytes = new Bytes().header(Tag.PatientID, "LO", 10).raw('A', 'B', 'C', 'D');

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(12);
        assertThat(e.tag()).isEqualTo(Tag.PatientID);
        assertThat(e.getMessage()).contains("(0010,0020)").contains("6 of 10 bytes missing");
    }

    @Test
    void lengthLargerThanStream() {
        Bytes bytes = new Bytes().longHeader(Tag.PixelData, "OB", 1L << 30).raw(new byte[100]);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll().withMaxValueLength(1L << 30));

        assertThat(e.offset()).isEqualTo(12 + 100);
        assertThat(e.tag()).isEqualTo(Tag.PixelData);
    }

    @Test
    void lengthLargerThanStreamWhenSkipped() {
        Bytes bytes = new Bytes().longHeader(Tag.PixelData, "OB", 1L << 30).raw(new byte[100]);

        DicomParseException e = parseError(bytes, ReadOptions.defaults());

        assertThat(e.offset()).isEqualTo(12 + 100);
    }

    @Test
    void lengthLargerThanCap() {
        Bytes bytes = new Bytes().shortElement(Tag.PatientID, "LO", "AB").longHeader(0x00091010, "UN", 0x7FFFFFF0L);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(10);
        assertThat(e.tag()).isEqualTo(0x00091010);
        assertThat(e.getMessage()).contains("exceeds the maximum");
    }

    @Test
    void garbageItemTag() {
        Bytes bytes = new Bytes().longHeader(Tag.ReferencedSeriesSequence, "SQ", UNDEFINED)
                .tagAndLength(Tag.PatientName, 0);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(12);
        assertThat(e.tag()).isEqualTo(Tag.ReferencedSeriesSequence);
        assertThat(e.getMessage()).contains("Invalid item tag (0010,0010)");
    }

    @Test
    void itemOverrunsSequence() {
        Bytes bytes = new Bytes().longHeader(Tag.ReferencedSeriesSequence, "SQ", 20)
                .tagAndLength(Tag.Item, 30).raw(new byte[30]);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(12);
        assertThat(e.getMessage()).contains("Value length 30 exceeds the 12 bytes left");
    }

    @Test
    void elementOverrunsItem() {
        Bytes bytes = new Bytes().longHeader(Tag.ReferencedSeriesSequence, "SQ", UNDEFINED)
                .tagAndLength(Tag.Item, 10).header(Tag.SeriesInstanceUID, "UI", 20).raw(new byte[20]);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(20);
        assertThat(e.tag()).isEqualTo(Tag.SeriesInstanceUID);
    }

    @Test
    void undefinedLengthOnText() {
        Bytes bytes = new Bytes().shortElement(Tag.PatientID, "LO", "AB").longHeader(Tag.TextValue, "UT", UNDEFINED);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(10);
        assertThat(e.getMessage()).contains("Undefined length is invalid for VR UT");
    }

    @Test
    void missingSequenceDelimiter() {
        Bytes bytes = new Bytes().longHeader(Tag.ReferencedSeriesSequence, "SQ", UNDEFINED)
                .tagAndLength(Tag.Item, UNDEFINED);

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.offset()).isEqualTo(20);
    }

    @Test
    void invalidDeflateData() {
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};

        DicomParseException e = catchThrowableOfType(DicomParseException.class, () ->
                new DicomInputStream(new ByteArrayInputStream(garbage), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
                        .readDataset(ReadOptions.keepAll()));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("deflated");
    }

    @Test
    void oddLengthWarns() throws IOException {
        Bytes bytes = new Bytes().shortElement(Tag.PatientID, "LO", "AB").header(Tag.PatientName, "PN", 3).raw('X', 'Y', 'Z');
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);

        Attributes dataset = in.readDataset(ReadOptions.keepAll());

        assertThat(dataset.getString(Tag.PatientName)).isEqualTo("XYZ");
        assertThat(in.warnings()).hasSize(1);
        assertThat(in.warnings().get(0).offset()).isEqualTo(10);
        assertThat(in.warnings().get(0).tag()).isEqualTo(Tag.PatientName);
        assertThat(in.warnings().get(0).message()).contains("odd length 3");
    }

    @Test
    void deeplyNestedSequencesRejected() {
        Bytes bytes = new Bytes();
        for (int i = 0; i < 70; i++) {
            bytes.longHeader(Tag.ReferencedSeriesSequence, "SQ", UNDEFINED).tagAndLength(Tag.Item, UNDEFINED);
        }

        DicomParseException e = parseError(bytes, ReadOptions.keepAll());

        assertThat(e.getMessage()).contains("nested deeper");
        assertThat(e.offset()).isEqualTo(64 * 20 + 12);
    }

    private static DicomParseException parseError(Bytes bytes, ReadOptions options) {
        DicomParseException e = catchThrowableOfType(DicomParseException.class, () ->
                new DicomInputStream(new ByteArrayInputStream(bytes.toByteArray()), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                        .readDataset(options));
        assertThat(e).as("expected a DicomParseException").isNotNull();
        assertThat(e.getMessage()).contains("at offset " + e.offset());
        return e;
    }

    /** Builder of explicit VR little endian bytes. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Bytes raw(byte[] values) {
            out.writeBytes(values);
            return this;
        }

        Bytes tag(int tag) {
            return uint16(Tag.group(tag)).uint16(Tag.element(tag));
        }

        Bytes header(int tag, String vr, int length) {
            return tag(tag).raw(vr.charAt(0), vr.charAt(1)).uint16(length);
        }

        Bytes longHeader(int tag, String vr, long length) {
            return tag(tag).raw(vr.charAt(0), vr.charAt(1), 0, 0).uint32(length);
        }

        Bytes shortElement(int tag, String vr, String value) {
            header(tag, vr, value.length());
            for (char c : value.toCharArray()) {
                out.write(c);
            }
            return this;
        }

        Bytes tagAndLength(int tag, long length) {
            return tag(tag).uint32(length);
        }

        Bytes uint16(int value) {
            return raw(value & 0xFF, (value >>> 8) & 0xFF);
        }

        Bytes uint32(long value) {
            return uint16((int) (value & 0xFFFF)).uint16((int) (value >>> 16));
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
