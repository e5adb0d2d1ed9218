package org.arca.dicom.data;

/**
 * A value that the reader skipped instead of storing, such as Pixel Data.
 *
 * @param offset byte offset of the first value byte in the stream that was read (see
 *               {@code DicomInputStream} for how offsets count in a deflated stream)
 * @param length value length in bytes
 */
public record BulkData(long offset, long length) {
}
