package org.arca.server.dicom;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The byte arrays that hold the blobs of one retrieve, handed from one instance to the next. A
 * C-GET of a CT study reads 300 blobs of about 513 KiB: new arrays of that size cost zeroing and
 * fresh pages for each instance, which on two cores slow the send that runs beside the read.
 *
 * <p>An array from here may hold the bytes of an earlier instance past the length read into it,
 * so its user keeps to that length (see {@link RetrieveBuffer}). Thread-safe: the read-ahead thread
 * takes arrays and the retrieve's thread gives them back.
 */
final class RetrieveArrays {

    /** Arrays kept for reuse: one being sent and one being read is the most a retrieve holds. */
    private static final int KEPT = 2;

    /** New arrays are rounded up to this many bytes, so that instances of about one size share them. */
    private static final int ROUNDING_BYTES = 64 * 1024;

    private final ArrayDeque<byte[]> free = new ArrayDeque<>(KEPT);

    /** Returns an array of at least {@code minLength} bytes, reused when one is free. */
    synchronized byte[] take(int minLength) {
        for (Iterator<byte[]> arrays = free.iterator(); arrays.hasNext(); ) {
            byte[] array = arrays.next();
            if (array.length >= minLength) {
                arrays.remove();
                return array;
            }
        }
        long rounded = ((long) minLength + ROUNDING_BYTES - 1) / ROUNDING_BYTES * ROUNDING_BYTES;
        return new byte[(int) Math.min(rounded, Integer.MAX_VALUE - 8)];
    }

    /**
     * Takes back an array that is no longer used, or lets it go when enough are kept. Giving the
     * same array twice keeps it once, so that a buffer closed twice never lends it to two readers.
     */
    synchronized void give(byte[] array) {
        for (byte[] kept : free) {
            if (kept == array) {
                return;
            }
        }
        if (free.size() < KEPT) {
            free.push(array);
        }
    }
}
