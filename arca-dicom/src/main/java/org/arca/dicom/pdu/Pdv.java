package org.arca.dicom.pdu;

import java.util.Arrays;

/**
 * A presentation data value item of a P-DATA-TF PDU (PS3.8 section 9.3.5.1 and Annex E.2).
 *
 * @param contextId the presentation context ID, an odd number 1..255
 * @param command true for a command fragment, false for a data set fragment
 * @param last true for the last fragment of the command or data set
 * @param data the fragment bytes (not copied)
 */
public record Pdv(int contextId, boolean command, boolean last, byte[] data) {

    /** Returns the message control header byte: bit 0 command, bit 1 last fragment. */
    public int messageControlHeader() {
        return (command ? 1 : 0) | (last ? 2 : 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pdv pdv && pdv.contextId == contextId && pdv.command == command
                && pdv.last == last && Arrays.equals(pdv.data, data);
    }

    @Override
    public int hashCode() {
        return contextId * 31 + messageControlHeader() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PDV[pcid=" + contextId + (command ? ", command" : ", data") + (last ? ", last" : "")
                + ", " + data.length + " bytes]";
    }
}
