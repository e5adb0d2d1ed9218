package org.arca.dicom.io;

/**
 * Limits for {@link DicomInputStream#readDataset}.
 *
 * @param bulkDataThreshold values (and fragments) longer than this many bytes are read through
 *                          without being stored and are recorded as {@code BulkData}
 * @param maxValueLength values longer than this many bytes that are not bulk data are rejected
 *                       with a {@link DicomParseException}, at most {@link #MAX_ARRAY_LENGTH}
 * @param maxNestingDepth sequences nested deeper than this are rejected
 */
// TODO: add a stop-after-tag option for callers that need only the leading elements.
public record ReadOptions(long bulkDataThreshold, long maxValueLength, int maxNestingDepth) {

    /** The largest byte array the JVM can allocate, with headroom for array headers. */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 16;

    /** Default cap for stored values: 64 MiB. */
    public static final long DEFAULT_MAX_VALUE_LENGTH = 64L << 20;

    /** Default bulk data threshold: values over 1 MiB, typically Pixel Data, are skipped. */
    public static final long DEFAULT_BULK_DATA_THRESHOLD = 1L << 20;

    public ReadOptions {
        if (maxValueLength < 0 || maxValueLength > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("maxValueLength must be 0.." + MAX_ARRAY_LENGTH + ", not " + maxValueLength);
        }
        if (bulkDataThreshold < 0 || maxNestingDepth < 1) {
            throw new IllegalArgumentException("bulkDataThreshold must be >= 0 and maxNestingDepth >= 1");
        }
    }

    /** Returns the defaults: 1 MiB bulk data threshold, 64 MiB value cap, nesting depth 64. */
    public static ReadOptions defaults() {
        return new ReadOptions(DEFAULT_BULK_DATA_THRESHOLD, DEFAULT_MAX_VALUE_LENGTH, 64);
    }

    /** Returns options that keep every value up to the value cap and skip nothing. */
    public static ReadOptions keepAll() {
        return new ReadOptions(Long.MAX_VALUE, DEFAULT_MAX_VALUE_LENGTH, 64);
    }

    public ReadOptions withBulkDataThreshold(long bytes) {
        return new ReadOptions(bytes, maxValueLength, maxNestingDepth);
    }

    public ReadOptions withMaxValueLength(long bytes) {
        return new ReadOptions(bulkDataThreshold, bytes, maxNestingDepth);
    }
}
