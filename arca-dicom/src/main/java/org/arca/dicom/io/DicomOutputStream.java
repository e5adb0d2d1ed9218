package org.arca.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.BulkData;
import org.arca.dicom.data.DataElement;
import org.arca.dicom.data.Fragments;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;

/**
 * Writes File Meta Information and datasets (PS3.5 section 7, PS3.10 section 7.1). Binary
 * values are byte-swapped when the dataset's byte order differs from the transfer syntax.
 * Sequences and items are written with undefined length unless {@link #setDefinedLengths} is
 * set. Not thread-safe. Closing it closes the underlying stream.
 */
public final class DicomOutputStream implements Closeable {

    private static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;

    private final OutputStream out;
    private boolean definedLengths;

    public DicomOutputStream(OutputStream out) {
        this.out = out;
    }

    /** Chooses defined lengths (computed) for sequences and items instead of undefined lengths with delimiters. */
    public DicomOutputStream setDefinedLengths(boolean definedLengths) {
        this.definedLengths = definedLengths;
        return this;
    }

    /**
     * Writes a preamble of 128 zero bytes, "DICM", and the group 0002 elements of {@code fmi} in
     * explicit VR little endian, with (0002,0000) computed from the elements that follow it.
     */
    public void writeFileMetaInformation(Attributes fmi) throws IOException {
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        ElementWriter writer = new ElementWriter(group, true, false, definedLengths);
        for (DataElement element : fmi) {
            if (Tag.group(element.tag()) == 0x0002 && element.tag() != Tag.FileMetaInformationGroupLength) {
                writer.write(element, fmi.bigEndian());
            }
        }
        out.write(new byte[128]);
        out.write(new byte[] {'D', 'I', 'C', 'M'});

        ElementWriter header = new ElementWriter(out, true, false, definedLengths);
        Attributes groupLength = new Attributes();
        groupLength.setInt(Tag.FileMetaInformationGroupLength, VR.UL, group.size());
        header.write(groupLength.get(Tag.FileMetaInformationGroupLength), false);
        group.writeTo(out);
    }

    /** Writes the dataset in the transfer syntax; a deflated dataset is finished before this returns. */
    public void writeDataset(Attributes dataset, TransferSyntax ts) throws IOException {
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            DeflaterOutputStream deflated = new DeflaterOutputStream(nonClosing(out), deflater, 8192);
            writeElements(new ElementWriter(deflated, ts.explicitVr(), ts.bigEndian(), definedLengths), dataset);
            deflated.finish();
            deflater.end();
        } else {
            writeElements(new ElementWriter(out, ts.explicitVr(), ts.bigEndian(), definedLengths), dataset);
        }
        out.flush();
    }

    private static void writeElements(ElementWriter writer, Attributes dataset) throws IOException {
        for (DataElement element : dataset) {
            writer.write(element, dataset.bigEndian());
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Encodes elements in one transfer syntax encoding. */
    private static final class ElementWriter {
        private final OutputStream out;
        private final boolean explicitVr;
        private final boolean bigEndian;
        private final boolean definedLengths;

        ElementWriter(OutputStream out, boolean explicitVr, boolean bigEndian, boolean definedLengths) {
            this.out = out;
            this.explicitVr = explicitVr;
            this.bigEndian = bigEndian;
            this.definedLengths = definedLengths;
        }

        void write(DataElement element, boolean sourceBigEndian) throws IOException {
            Object value = element.value();
            if (value instanceof byte[] bytes) {
                byte[] encoded = sourceBigEndian == bigEndian ? bytes : swap(bytes, element.vr().swapUnit());
                VR vr = element.vr();
                if (explicitVr && !vr.longLength() && encoded.length > 0xFFFF) {
                    // PS3.5 6.2.2: a value too long for a 16-bit length field is written as UN.
                    vr = VR.UN;
                }
                writeHeader(element.tag(), vr, encoded.length);
                out.write(encoded);
            } else if (value instanceof Sequence sequence) {
                writeSequence(element.tag(), element.vr(), sequence);
            } else if (value instanceof Fragments fragments) {
                writeFragments(element.tag(), element.vr(), fragments);
            } else if (value instanceof BulkData bulk) {
                // TODO: write bulk data from a caller-supplied source of the skipped bytes.
                throw new IOException("Cannot write " + Tag.toString(element.tag()) + ": its value of " + bulk.length()
                        + " bytes was skipped as bulk data when read; read it with a higher bulkDataThreshold");
            }
        }

        private void writeSequence(int tag, VR vr, Sequence sequence) throws IOException {
            VR written = vr == VR.UN ? VR.SQ : vr;
            if (!definedLengths) {
                writeHeader(tag, written, UNDEFINED_LENGTH);
                for (Attributes item : sequence) {
                    writeTagAndLength(Tag.Item, UNDEFINED_LENGTH);
                    writeItemElements(item);
                    writeTagAndLength(Tag.ItemDelimitationItem, 0);
                }
                writeTagAndLength(Tag.SequenceDelimitationItem, 0);
                return;
            }
            ByteArrayOutputStream items = new ByteArrayOutputStream();
            ElementWriter nested = new ElementWriter(items, explicitVr, bigEndian, true);
            for (Attributes item : sequence) {
                ByteArrayOutputStream itemBytes = new ByteArrayOutputStream();
                ElementWriter itemWriter = new ElementWriter(itemBytes, explicitVr, bigEndian, true);
                for (DataElement element : item) {
                    itemWriter.write(element, item.bigEndian());
                }
                nested.writeTagAndLength(Tag.Item, itemBytes.size());
                itemBytes.writeTo(items);
            }
            writeHeader(tag, written, items.size());
            items.writeTo(out);
        }

        private void writeItemElements(Attributes item) throws IOException {
            for (DataElement element : item) {
                write(element, item.bigEndian());
            }
        }

        private void writeFragments(int tag, VR vr, Fragments fragments) throws IOException {
            writeHeader(tag, vr, UNDEFINED_LENGTH);
            for (Object fragment : fragments.items()) {
                if (!(fragment instanceof byte[] bytes)) {
                    throw new IOException("Cannot write a fragment of " + Tag.toString(tag)
                            + " that was skipped as bulk data when read");
                }
                writeTagAndLength(Tag.Item, bytes.length);
                out.write(bytes);
            }
            writeTagAndLength(Tag.SequenceDelimitationItem, 0);
        }

        private void writeHeader(int tag, VR vr, long length) throws IOException {
            writeTag(tag);
            if (!explicitVr) {
                writeInt32(length);
                return;
            }
            out.write(vr.name().charAt(0));
            out.write(vr.name().charAt(1));
            if (vr.longLength()) {
                out.write(0);
                out.write(0);
                writeInt32(length);
            } else {
                writeInt16((int) length);
            }
        }

        void writeTagAndLength(int tag, long length) throws IOException {
            writeTag(tag);
            writeInt32(length);
        }

        private void writeTag(int tag) throws IOException {
            writeInt16(Tag.group(tag));
            writeInt16(Tag.element(tag));
        }

        private void writeInt16(int value) throws IOException {
            if (bigEndian) {
                out.write(value >>> 8);
                out.write(value);
            } else {
                out.write(value);
                out.write(value >>> 8);
            }
        }

        private void writeInt32(long value) throws IOException {
            if (bigEndian) {
                writeInt16((int) (value >>> 16));
                writeInt16((int) value);
            } else {
                writeInt16((int) value);
                writeInt16((int) (value >>> 16));
            }
        }

        private static byte[] swap(byte[] bytes, int unit) {
            if (unit == 1) {
                return bytes;
            }
            byte[] swapped = bytes.clone();
            for (int start = 0; start + unit <= swapped.length; start += unit) {
                for (int i = 0; i < unit / 2; i++) {
                    byte b = swapped[start + i];
                    swapped[start + i] = swapped[start + unit - 1 - i];
                    swapped[start + unit - 1 - i] = b;
                }
            }
            return swapped;
        }
    }
}
