package org.arca.dicom.io;

import java.io.IOException;
import org.arca.dicom.data.Tag;

/** Malformed DICOM input: the message and {@link #offset()} give the byte offset and the tag being read. */
public class DicomParseException extends IOException {

    private final long offset;
    private final int tag;

    public DicomParseException(String problem, long offset, int tag) {
        this(problem, offset, tag, null);
    }

    public DicomParseException(String problem, long offset, int tag, Throwable cause) {
        super(problem + " at offset " + offset + " in element " + Tag.toString(tag), cause);
        this.offset = offset;
        this.tag = tag;
    }

    /** Returns the byte offset in the stream where the problem was found (see {@link DicomInputStream} for deflated streams). */
    public long offset() {
        return offset;
    }

    /** Returns the tag of the element being read, or of the enclosing element for item problems. */
    public int tag() {
        return tag;
    }
}
