package org.arca.dicom.dimse;

import java.io.IOException;
import org.arca.dicom.pdu.Pdv;

/** The PDV stream of an established association, as the DIMSE layer uses it. */
public interface PdvChannel {

    /**
     * Returns the next received PDV, reading P-DATA-TF PDUs as needed. Only the association's
     * reading thread calls this.
     *
     * @return the PDV, or null when the association was released or aborted
     */
    Pdv nextPdv() throws IOException;

    /**
     * Returns the next PDV of a message whose rest the peer owes: a later fragment of a command, or
     * a fragment of a data set. Unlike {@link #nextPdv()}, a read timeout here ends the association
     * even while an operation runs, because a peer that stops inside a message is stalled, not idle.
     *
     * @return the PDV, or null when the association was released or aborted
     */
    default Pdv nextPdvOfMessage() throws IOException {
        return nextPdv();
    }

    /** Sends one PDV in its own P-DATA-TF; {@code length} is at most {@link #maxPdvDataLength()}. */
    void writePdv(int contextId, boolean command, boolean last, byte[] data, int offset, int length)
            throws IOException;

    /** Returns the largest PDV data length the peer accepts: its maximum PDU length minus 6. */
    int maxPdvDataLength();

    /** Returns the association name used as the prefix of log lines, such as "STORESCU->ARCA(12)". */
    String name();
}
