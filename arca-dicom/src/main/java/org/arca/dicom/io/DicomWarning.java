package org.arca.dicom.io;

import org.arca.dicom.data.Tag;

/**
 * A deviation from PS3.5 that the reader tolerated, such as an odd value length.
 *
 * @param offset byte offset of the element header in the stream
 */
public record DicomWarning(long offset, int tag, String message) {

    @Override
    public String toString() {
        return message + " at offset " + offset + " in element " + Tag.toString(tag);
    }
}
