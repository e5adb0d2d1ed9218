package org.arca.store.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Passes every byte read from the source on to a sink, in order and exactly once,
 * so that the parser and the blob writer see the same bytes.
 */
final class TeeInputStream extends FilterInputStream {

    private final OutputStream sink;

    TeeInputStream(InputStream source, OutputStream sink) {
        super(source);
        this.sink = sink;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            sink.write(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int count = super.read(buffer, offset, length);
        if (count > 0) {
            sink.write(buffer, offset, count);
        }
        return count;
    }

    /** Skips by reading, because skipped bytes must reach the sink too. */
    @Override
    public long skip(long count) throws IOException {
        byte[] buffer = new byte[(int) Math.min(65536, Math.max(count, 1))];
        long skipped = 0;
        while (skipped < count) {
            int read = read(buffer, 0, (int) Math.min(buffer.length, count - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    /** Reads the source to its end, so the sink receives the rest of the bytes. */
    long drain() throws IOException {
        byte[] buffer = new byte[65536];
        long drained = 0;
        int read;
        while ((read = read(buffer, 0, buffer.length)) >= 0) {
            drained += read;
        }
        return drained;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
