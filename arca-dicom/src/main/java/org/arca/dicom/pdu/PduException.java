package org.arca.dicom.pdu;

/**
 * A PDU that could not be decoded or is not allowed, with the PDU (an A-ABORT or an
 * A-ASSOCIATE-RJ) that the receiver should send in reply before it closes the connection.
 */
public class PduException extends Exception {
    private final Pdu reply;

    public PduException(String message, Pdu reply) {
        super(message);
        this.reply = reply;
    }

    /** Returns the A-ABORT or A-ASSOCIATE-RJ to send to the peer. */
    public Pdu reply() {
        return reply;
    }
}
