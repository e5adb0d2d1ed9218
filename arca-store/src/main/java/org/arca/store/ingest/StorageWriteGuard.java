package org.arca.store.ingest;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Remembers the first write failure of the blob output, so that a failure of the disk can be
 * told apart from a failure of the network stream feeding the same copy loop.
 * After a failure every further write fails at once.
 */
final class StorageWriteGuard extends FilterOutputStream {

    private IOException failure;

    StorageWriteGuard(OutputStream out) {
        super(out);
    }

    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        checkNotFailed();
        try {
            out.write(b);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        checkNotFailed();
        try {
            out.write(buffer, offset, length);
        } catch (IOException e) {
            throw remember(e);
        }
    }

    @Override
    public void flush() throws IOException {
        checkNotFailed();
        try {
            out.flush();
        } catch (IOException e) {
            throw remember(e);
        }
    }

    /** Leaves closing to the temporary blob, which owns the file. */
    @Override
    public void close() {
    }

    private void checkNotFailed() throws IOException {
        if (failure != null) {
            throw new IOException("An earlier write to the blob failed", failure);
        }
    }

    private IOException remember(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }
}
