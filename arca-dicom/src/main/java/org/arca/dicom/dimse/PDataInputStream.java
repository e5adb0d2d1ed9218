package org.arca.dicom.dimse;

import java.io.IOException;
import java.io.InputStream;
import org.arca.dicom.pdu.Pdv;

/**
 * The data set of one DIMSE message, read from data PDVs as they arrive; it ends after the PDV
 * with the last flag. Nothing beyond one PDV is buffered, so a data set of any size passes with
 * a small heap.
 */
public final class PDataInputStream extends InputStream {
    private final PdvChannel channel;
    private final int contextId;
    private byte[] current = new byte[0];
    private int position;
    private boolean lastReceived;
    private long bytesRead;

    /** The protocol error that broke this data set. Every later read fails with it too. */
    private String brokenBy;

    public PDataInputStream(PdvChannel channel, int contextId) {
        this.channel = channel;
        this.contextId = contextId;
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        bytesRead++;
        return current[position++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, count);
        position += count;
        bytesRead += count;
        return count;
    }

    @Override
    public int available() {
        return current.length - position;
    }

    /** Returns the number of data set bytes consumed so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Returns true once the PDV with the last flag was consumed completely. */
    public boolean isComplete() {
        return lastReceived && position == current.length;
    }

    /** Reads and discards the rest of the data set, so the next message can be read. */
    public void drain() throws IOException {
        while (fill()) {
            bytesRead += current.length - position;
            position = current.length;
        }
    }

    /** Does not drain: the dispatcher does, after the service returns. */
    @Override
    public void close() {
    }

    private boolean fill() throws IOException {
        while (position == current.length) {
            if (lastReceived) {
                return false;
            }
            if (brokenBy != null) {
                // A drain after a protocol error must not read on into the next message's PDVs.
                throw new DimseProtocolException(brokenBy);
            }
            Pdv pdv = channel.nextPdvOfMessage();
            if (pdv == null) {
                throw broken("Association " + channel.name() + " ended before the last fragment of the data set; "
                        + bytesRead + " bytes were received");
            }
            if (pdv.command() || pdv.contextId() != contextId) {
                throw broken("Expected a data PDV on presentation context " + contextId + " but received " + pdv);
            }
            current = pdv.data();
            position = 0;
            lastReceived = pdv.last();
        }
        return true;
    }

    private DimseProtocolException broken(String message) {
        brokenBy = message;
        return new DimseProtocolException(message);
    }
}
