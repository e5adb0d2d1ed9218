package org.arca.dicom.data;

/**
 * One data element of a dataset.
 *
 * @param value a {@code byte[]} (in the dataset's byte order, padding included), a {@link Sequence},
 *              a {@link Fragments} or a {@link BulkData}, and never null (an empty value is an empty array)
 */
public record DataElement(int tag, VR vr, Object value) {

    /** Returns the value length in bytes for a byte value or bulk data, or -1 for a sequence or fragments. */
    public long length() {
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        if (value instanceof BulkData bulk) {
            return bulk.length();
        }
        return -1;
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + " " + (value instanceof byte[] b ? b.length + " bytes" : value);
    }
}
