package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends a data set as data PDVs of at most the peer's maximum length. A full buffer is sent
 * only when more bytes follow, so {@link #close()} can mark the final PDV as last.
 */
public final class PDataOutputStream extends OutputStream {
    /** The largest PDV this stream builds, in bytes, whatever the peer's maximum. */
    static final int MAX_BUFFER = 1024 * 1024;

    private final PdvChannel channel;
    private final int contextId;
    private final byte[] buffer;
    private int count;
    private boolean closed;

    public PDataOutputStream(PdvChannel channel, int contextId) {
        this.channel = channel;
        this.contextId = contextId;
        this.buffer = new byte[Math.min(MAX_BUFFER, channel.maxPdvDataLength())];
    }

    @Override
    public void write(int value) throws IOException {
        if (count == buffer.length) {
            sendBuffer(false);
        }
        buffer[count++] = (byte) value;
    }

    /**
     * Buffers the bytes, except that while the buffer is empty and more than a full PDV remains,
     * full PDVs go straight from {@code data} to the channel: such a PDV is never the last one,
     * and a large data set (a retrieved instance held in memory) is not copied once more.
     */
    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        while (count == 0 && length > buffer.length) {
            channel.writePdv(contextId, false, false, data, offset, buffer.length);
            offset += buffer.length;
            length -= buffer.length;
        }
        while (length > 0) {
            if (count == buffer.length) {
                sendBuffer(false);
            }
            int chunk = Math.min(length, buffer.length - count);
            System.arraycopy(data, offset, buffer, count, chunk);
            count += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    /** Sends the remaining bytes as the last PDV of the data set. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            sendBuffer(true);
        }
    }

    private void sendBuffer(boolean last) throws IOException {
        channel.writePdv(contextId, false, last, buffer, 0, count);
        count = 0;
    }
}
