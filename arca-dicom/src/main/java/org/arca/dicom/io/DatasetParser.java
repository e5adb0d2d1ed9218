package org.arca.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.zip.ZipException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.BulkData;
import org.arca.dicom.data.ElementDictionary;
import org.arca.dicom.data.Fragments;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;

/**
 * Parses data elements from a stream (PS3.5 sections 7.1 and 7.5): explicit or implicit VR,
 * little or big endian, sequences and items of defined and undefined length, and encapsulated
 * Pixel Data. Every length is checked against the enclosing defined-length container and against
 * {@link ReadOptions#maxValueLength()} before anything is allocated for it.
 */
final class DatasetParser {

    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    private static final int SMALL_VALUE = 1 << 20;
    private static final int SKIP_BUFFER = 64 * 1024;

    private final InputStream in;
    private final ReadOptions options;
    private final List<DicomWarning> warnings;
    private long position;
    private int currentTag;
    private byte[] skipBuffer;

    /** The encoding of the elements being read; UN sequences switch to implicit VR little endian. */
    private record Encoding(boolean explicitVr, boolean bigEndian) {
    }

    DatasetParser(InputStream in, long startPosition, ReadOptions options, List<DicomWarning> warnings) {
        this.in = in;
        this.position = startPosition;
        this.options = options;
        this.warnings = warnings;
    }

    long position() {
        return position;
    }

    /** Reads elements until the end of the stream. */
    void readDataset(Attributes target, boolean explicitVr, boolean bigEndian) throws IOException {
        readElements(target, new Encoding(explicitVr, bigEndian), -1, false, 0);
    }

    /** Reads exactly one element that is not an item or delimiter, in explicit VR little endian. */
    void readSingleElement(Attributes target) throws IOException {
        long headerOffset = position;
        int tag = readTag(false, false);
        currentTag = tag;
        readElement(target, tag, new Encoding(true, false), -1, headerOffset, 0);
    }

    /**
     * Reads elements of a dataset or item. {@code end} is the position where a defined-length
     * item ends, or -1. With {@code undefinedItem}, an Item Delimitation Item ends it. With
     * neither, the elements run to the end of the stream.
     */
    private void readElements(Attributes target, Encoding encoding, long end, boolean undefinedItem, int depth)
            throws IOException {
        while (true) {
            if (end >= 0 && position >= end) {
                return;
            }
            long headerOffset = position;
            int tag = readTag(encoding.bigEndian, end < 0 && !undefinedItem);
            if (tag == -1 && end < 0 && !undefinedItem) {
                return;
            }
            currentTag = tag;
            if (Tag.group(tag) == 0xFFFE) {
                if (readDelimiter(tag, encoding, headerOffset, undefinedItem)) {
                    return;
                }
                continue;
            }
            readElement(target, tag, encoding, end, headerOffset, depth);
        }
    }

    /** Handles an item or delimitation tag among elements; returns true when it ends the item. */
    private boolean readDelimiter(int tag, Encoding encoding, long headerOffset, boolean undefinedItem)
            throws IOException {
        long length = readUInt32(encoding.bigEndian);
        if (tag == Tag.ItemDelimitationItem && undefinedItem) {
            return true;
        }
        if (tag == Tag.ItemDelimitationItem || tag == Tag.SequenceDelimitationItem) {
            if (length != 0) {
                throw new DicomParseException("Unexpected delimitation item with length " + length, headerOffset, tag);
            }
            warnings.add(new DicomWarning(headerOffset, tag, "Ignored a delimitation item outside of a sequence"));
            return false;
        }
        throw new DicomParseException("Invalid item tag " + Tag.toString(tag) + " among data elements", headerOffset, tag);
    }

    private void readElement(Attributes target, int tag, Encoding encoding, long end, long headerOffset, int depth)
            throws IOException {
        VR vr;
        long length;
        if (encoding.explicitVr) {
            int b0 = readByte();
            int b1 = readByte();
            VR explicit = VR.fromCode((b0 << 8) | b1);
            if (explicit != null) {
                vr = explicit;
                length = explicit.longLength() ? readLongLength(encoding) : readUInt16(encoding.bigEndian);
            } else if (isUpperCaseLetter(b0) && isUpperCaseLetter(b1)) {
                // Read an unknown two-letter VR as UN with the 32-bit length layout that every VR added
                // since UT uses. dcmtk 3.6.7 makes the same assumption for a non-standard VR.
                vr = VR.UN;
                length = readLongLength(encoding);
            } else {
                // Not a VR at all: the writer switched to implicit VR for this element.
                warnings.add(new DicomWarning(headerOffset, tag, "Element has no explicit VR, read it as implicit VR"));
                vr = ElementDictionary.vrOf(tag);
                int b2 = readByte();
                int b3 = readByte();
                length = encoding.bigEndian
                        ? ((long) b0 << 24) | (b1 << 16) | (b2 << 8) | b3
                        : ((long) b3 << 24) | (b2 << 16) | (b1 << 8) | b0;
            }
        } else {
            vr = ElementDictionary.vrOf(tag);
            length = readUInt32(encoding.bigEndian);
        }

        if (length == UNDEFINED_LENGTH) {
            readUndefinedLengthValue(target, tag, vr, encoding, headerOffset, depth);
            return;
        }
        checkFits(length, end, headerOffset, tag);
        if ((length & 1) != 0) {
            warnings.add(new DicomWarning(headerOffset, tag, "Value has odd length " + length));
        }
        if (vr == VR.SQ) {
            Sequence sequence = target.newSequence(tag);
            readItems(sequence, encoding, position + length, depth + 1);
            return;
        }
        readValue(target, tag, vr, length, headerOffset);
    }

    private void readUndefinedLengthValue(Attributes target, int tag, VR vr, Encoding encoding, long headerOffset,
                                          int depth) throws IOException {
        if (vr == VR.SQ) {
            readItems(target.newSequence(tag), encoding, -1, depth + 1);
        } else if (vr == VR.UN || !encoding.explicitVr && vr != VR.OB && vr != VR.OW) {
            // PS3.5 6.2.2: UN of undefined length is a sequence encoded in implicit VR little endian.
            Sequence sequence = target.newSequence(tag);
            readItems(sequence, new Encoding(false, false), -1, depth + 1);
        } else if (tag == Tag.PixelData || vr == VR.OB || vr == VR.OW) {
            Fragments fragments = new Fragments();
            target.setFragments(tag, vr, fragments);
            readFragments(fragments, encoding);
        } else {
            throw new DicomParseException("Undefined length is invalid for VR " + vr, headerOffset, tag);
        }
    }

    private void readItems(Sequence sequence, Encoding encoding, long end, int depth) throws IOException {
        int sequenceTag = currentTag;
        if (depth > options.maxNestingDepth()) {
            throw new DicomParseException("Sequences are nested deeper than the maximum of "
                    + options.maxNestingDepth(), position, sequenceTag);
        }
        while (end < 0 || position < end) {
            long itemOffset = position;
            int tag = readTag(encoding.bigEndian, false);
            long length = readUInt32(encoding.bigEndian);
            if (tag == Tag.SequenceDelimitationItem && end < 0) {
                return;
            }
            if (tag != Tag.Item) {
                throw new DicomParseException("Invalid item tag " + Tag.toString(tag) + " in sequence", itemOffset, sequenceTag);
            }
            Attributes item = sequence.addItem(encoding.bigEndian);
            if (length == UNDEFINED_LENGTH) {
                readElements(item, encoding, -1, true, depth);
            } else {
                checkFits(length, end, itemOffset, sequenceTag);
                readElements(item, encoding, position + length, false, depth);
                checkEndReached(position, itemOffset + 8 + length, sequenceTag);
            }
            currentTag = sequenceTag;
        }
        checkEndReached(position, end, sequenceTag);
    }

    private void readFragments(Fragments fragments, Encoding encoding) throws IOException {
        int pixelTag = currentTag;
        while (true) {
            long itemOffset = position;
            int tag = readTag(encoding.bigEndian, false);
            long length = readUInt32(encoding.bigEndian);
            if (tag == Tag.SequenceDelimitationItem) {
                return;
            }
            if (tag != Tag.Item) {
                throw new DicomParseException("Invalid item tag " + Tag.toString(tag) + " in encapsulated pixel data",
                        itemOffset, pixelTag);
            }
            if (length == UNDEFINED_LENGTH) {
                throw new DicomParseException("Fragment has undefined length", itemOffset, pixelTag);
            }
            if (length > options.bulkDataThreshold()) {
                fragments.add(new BulkData(position, length));
                skipFully(length);
            } else {
                fragments.add(readBytes(length, itemOffset));
            }
        }
    }

    private void readValue(Attributes target, int tag, VR vr, long length, long headerOffset) throws IOException {
        long valueOffset = position;
        if (length > options.bulkDataThreshold()) {
            target.setBulkData(tag, vr, new BulkData(valueOffset, length));
            skipFully(length);
            return;
        }
        target.setBytes(tag, vr, readBytes(length, headerOffset));
    }

    /** Reads a value that will be kept, after checking the cap; large values grow in steps so a false length cannot allocate. */
    private byte[] readBytes(long length, long headerOffset) throws IOException {
        if (length > options.maxValueLength()) {
            throw new DicomParseException("Value length " + length + " exceeds the maximum of " + options.maxValueLength()
                    + " bytes; raise ReadOptions.maxValueLength or lower bulkDataThreshold", headerOffset, currentTag);
        }
        if (length <= SMALL_VALUE) {
            byte[] value = new byte[(int) length];
            readFully(value, 0, value.length);
            return value;
        }
        ByteArrayOutputStream value = new ByteArrayOutputStream(SMALL_VALUE);
        byte[] chunk = new byte[SMALL_VALUE];
        long remaining = length;
        while (remaining > 0) {
            int n = (int) Math.min(chunk.length, remaining);
            readFully(chunk, 0, n);
            value.write(chunk, 0, n);
            remaining -= n;
        }
        return value.toByteArray();
    }

    private void checkFits(long length, long end, long headerOffset, int tag) throws DicomParseException {
        if (end >= 0 && position + length > end) {
            throw new DicomParseException("Value length " + length + " exceeds the " + (end - position)
                    + " bytes left in the enclosing item or sequence", headerOffset, tag);
        }
    }

    private void checkEndReached(long reached, long end, int tag) throws DicomParseException {
        if (end >= 0 && reached != end) {
            throw new DicomParseException("Items overrun the defined length of their sequence, which ends at offset "
                    + end, reached, tag);
        }
    }

    private static boolean isUpperCaseLetter(int b) {
        return b >= 'A' && b <= 'Z';
    }

    // Primitive reads. Each advances position and reports truncation with the current offset and tag.

    /** Reads a tag, or returns -1 at a clean end of stream when {@code endAllowed}. */
    private int readTag(boolean bigEndian, boolean endAllowed) throws IOException {
        int first = read();
        if (first < 0) {
            if (endAllowed) {
                return -1;
            }
            throw truncated("element header");
        }
        position++;
        int b1 = readByte();
        int b2 = readByte();
        int b3 = readByte();
        int group = bigEndian ? (first << 8) | b1 : (b1 << 8) | first;
        int element = bigEndian ? (b2 << 8) | b3 : (b3 << 8) | b2;
        return (group << 16) | element;
    }

    private long readLongLength(Encoding encoding) throws IOException {
        readByte();
        readByte();
        return readUInt32(encoding.bigEndian);
    }

    private int readUInt16(boolean bigEndian) throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        return bigEndian ? (b0 << 8) | b1 : (b1 << 8) | b0;
    }

    private long readUInt32(boolean bigEndian) throws IOException {
        long low = readUInt16(bigEndian);
        long high = readUInt16(bigEndian);
        return bigEndian ? (low << 16) | high : (high << 16) | low;
    }

    private int readByte() throws IOException {
        int b = read();
        if (b < 0) {
            throw truncated("element header");
        }
        position++;
        return b;
    }

    private int read() throws IOException {
        try {
            return in.read();
        } catch (ZipException | EOFException e) {
            throw new DicomParseException("Invalid deflated data: " + e.getMessage(), position, currentTag, e);
        }
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = readSome(buffer, offset + done, length - done);
            if (n < 0) {
                throw truncated("value (" + (length - done) + " of " + length + " bytes missing)");
            }
            done += n;
            position += n;
        }
    }

    /** Reads through a value without keeping it, so that every byte still passes through the stream once. */
    private void skipFully(long length) throws IOException {
        if (skipBuffer == null) {
            skipBuffer = new byte[SKIP_BUFFER];
        }
        long remaining = length;
        while (remaining > 0) {
            int n = readSome(skipBuffer, 0, (int) Math.min(skipBuffer.length, remaining));
            if (n < 0) {
                throw truncated("value (" + remaining + " of " + length + " bytes missing)");
            }
            remaining -= n;
            position += n;
        }
    }

    private int readSome(byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        } catch (ZipException | EOFException e) {
            throw new DicomParseException("Invalid deflated data: " + e.getMessage(), position, currentTag, e);
        }
    }

    private DicomParseException truncated(String what) {
        return new DicomParseException("Stream ends inside " + what, position, currentTag);
    }
}
