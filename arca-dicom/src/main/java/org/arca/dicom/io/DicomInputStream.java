package org.arca.dicom.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;

/**
 * A streaming reader of a DICOM Part 10 file (PS3.10 section 7.1) or of a bare dataset.
 *
 * <p>For a Part 10 stream it reads the 128-byte preamble, "DICM" and the File Meta Information
 * (group 0002, explicit VR little endian). Without "DICM" at offset 128 it sniffs, as dcmtk does:
 * a stream starting with group 0002 has meta information but no preamble, and any other is a bare
 * dataset whose VR encoding and byte order are guessed from its first element.
 *
 * <p>{@link #readDataset} reads to the end of the stream, so that every byte of the underlying
 * stream passes through exactly once and in order. Offsets in exceptions, warnings and
 * {@code BulkData} count bytes of the underlying stream, except in a deflated dataset, where they
 * count inflated bytes from the offset at which the deflated data starts. Not thread-safe.
 */
public final class DicomInputStream implements Closeable {

    private static final int PREAMBLE_LENGTH = 128;
    private static final byte[] DICM = {'D', 'I', 'C', 'M'};
    /** Cap for one File Meta Information value; group 0002 values are UIDs and short strings. */
    private static final long MAX_META_VALUE_LENGTH = 64 * 1024;

    private final CountingSource source;
    private final List<DicomWarning> warnings = new ArrayList<>();
    private boolean hasMeta;
    private boolean metaRead;
    private Attributes fileMetaInformation;
    private TransferSyntax transferSyntax;

    /** Opens a Part 10 stream, or a stream without preamble or meta information (sniffed). */
    public DicomInputStream(InputStream in) throws IOException {
        this.source = new CountingSource(in);
        sniff();
    }

    /** Opens a bare dataset in a known transfer syntax, as received over DIMSE. */
    public DicomInputStream(InputStream in, TransferSyntax transferSyntax) {
        this.source = new CountingSource(in);
        this.transferSyntax = transferSyntax;
        this.metaRead = true;
    }

    /** Returns the bytes consumed from the underlying stream so far (before inflation). */
    public long position() {
        return source.count();
    }

    /** Returns the tolerated deviations found so far, such as odd value lengths. */
    public List<DicomWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /**
     * Reads the File Meta Information, once. Returns null when the stream has none (a bare
     * dataset). {@link #transferSyntax()} is known after this call.
     */
    public Attributes readFileMetaInformation() throws IOException {
        if (metaRead) {
            return fileMetaInformation;
        }
        metaRead = true;
        if (!hasMeta) {
            return null;
        }
        fileMetaInformation = new MetaReader(source, warnings, MAX_META_VALUE_LENGTH).read();
        String uid = fileMetaInformation.getString(Tag.TransferSyntaxUID);
        if (uid != null) {
            transferSyntax = TransferSyntax.of(uid);
        } else {
            warnings.add(new DicomWarning(position(), Tag.TransferSyntaxUID,
                    "File Meta Information has no Transfer Syntax UID, guessed it from the dataset"));
            transferSyntax = guessFromDataset();
        }
        return fileMetaInformation;
    }

    /** Returns the transfer syntax of the dataset, reading the File Meta Information first if needed. */
    public TransferSyntax transferSyntax() throws IOException {
        readFileMetaInformation();
        return transferSyntax;
    }

    /** Reads the dataset to the end of the stream. */
    public Attributes readDataset(ReadOptions options) throws IOException {
        TransferSyntax ts = transferSyntax();
        Attributes dataset = new Attributes(ts.bigEndian());
        long start = source.count();
        InputStream in = ts.deflated() ? new InflaterInputStream(source, new Inflater(true), 8192) : source;

        DatasetParser parser = new DatasetParser(in, start, options, warnings);
        parser.readDataset(dataset, ts.explicitVr(), ts.bigEndian());
        if (ts.deflated()) {
            drainSource();
        }
        return dataset;
    }

    /** Reads past the end of the deflated data, so the whole underlying stream has been consumed. */
    private void drainSource() throws IOException {
        byte[] buffer = new byte[8192];
        long trailing = 0;
        int n;
        while ((n = source.read(buffer)) > 0) {
            trailing += n;
        }
        if (trailing > 0) {
            warnings.add(new DicomWarning(source.count() - trailing, 0, trailing + " bytes follow the deflated dataset"));
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    private void sniff() throws IOException {
        byte[] head = new byte[PREAMBLE_LENGTH + DICM.length];
        int n = source.readNBytes(head, 0, head.length);
        if (n == head.length && java.util.Arrays.equals(head, PREAMBLE_LENGTH, head.length, DICM, 0, DICM.length)) {
            hasMeta = true;
            return;
        }
        source.unread(head, 0, n);
        if (n >= 4 && head[0] == 0x02 && head[1] == 0x00) {
            warnings.add(new DicomWarning(0, 0, "Stream has File Meta Information but no preamble and no DICM prefix"));
            hasMeta = true;
            return;
        }
        metaRead = true;
        transferSyntax = guess(head, n);
    }

    private TransferSyntax guessFromDataset() throws IOException {
        byte[] head = new byte[8];
        int n = source.readNBytes(head, 0, head.length);
        source.unread(head, 0, n);
        return guess(head, n);
    }

    /** Guesses the encoding of a bare dataset from its first element header, as dcmtk does. */
    private static TransferSyntax guess(byte[] head, int length) {
        if (length < 6) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean bigEndian = head[0] == 0 && head[1] != 0;
        boolean explicit = VR.fromCode(((head[4] & 0xFF) << 8) | (head[5] & 0xFF)) != null;
        if (bigEndian && explicit) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
