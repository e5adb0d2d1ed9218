package org.arca.dicom.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * The underlying stream with a count of the bytes delivered and room to push back a few bytes
 * that were read to sniff the encoding. Pushed-back bytes are not counted twice.
 */
final class CountingSource extends InputStream {

    private final InputStream in;
    private byte[] pushback = new byte[0];
    private int pushbackPos;
    private long count;

    CountingSource(InputStream in) {
        this.in = in;
    }

    /** Returns the number of bytes delivered to the reader, not counting pushed-back bytes. */
    long count() {
        return count;
    }

    void unread(byte[] bytes, int offset, int length) {
        byte[] rest = java.util.Arrays.copyOfRange(pushback, pushbackPos, pushback.length);
        byte[] combined = new byte[length + rest.length];
        System.arraycopy(bytes, offset, combined, 0, length);
        System.arraycopy(rest, 0, combined, length, rest.length);
        pushback = combined;
        pushbackPos = 0;
        count -= length;
    }

    @Override
    public int read() throws IOException {
        if (pushbackPos < pushback.length) {
            count++;
            return pushback[pushbackPos++] & 0xFF;
        }
        int b = in.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (pushbackPos < pushback.length) {
            int n = Math.min(length, pushback.length - pushbackPos);
            System.arraycopy(pushback, pushbackPos, buffer, offset, n);
            pushbackPos += n;
            count += n;
            return n;
        }
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
