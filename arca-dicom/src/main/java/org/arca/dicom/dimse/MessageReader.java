package org.arca.dicom.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.arca.dicom.pdu.Pdv;

/** Reads DIMSE command sets from the PDVs of an association (PS3.7 Annex E and PS3.8 Annex E). */
public final class MessageReader {
    private MessageReader() {
    }

    /**
     * Reads the command PDVs of the next message up to the one with the last flag.
     *
     * @return the command, or null if the association ended between two messages
     * @throws DimseProtocolException if a data PDV comes first, contexts change within the
     *     command, the command exceeds {@link CommandSet#MAX_ENCODED_LENGTH} or cannot be decoded
     */
    public static ReceivedCommand readCommand(PdvChannel channel) throws IOException {
        Pdv pdv = channel.nextPdv();
        if (pdv == null) {
            return null;
        }
        int contextId = pdv.contextId();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        while (true) {
            if (!pdv.command() || pdv.contextId() != contextId) {
                throw new DimseProtocolException("Expected a command PDV on presentation context " + contextId
                        + " but received " + pdv);
            }
            if (encoded.size() + pdv.data().length > CommandSet.MAX_ENCODED_LENGTH) {
                throw new DimseProtocolException("Command set exceeds " + CommandSet.MAX_ENCODED_LENGTH + " bytes");
            }
            encoded.writeBytes(pdv.data());
            if (pdv.last()) {
                break;
            }
            pdv = channel.nextPdvOfMessage();
            if (pdv == null) {
                throw new DimseProtocolException("The association ended inside a command set");
            }
        }
        try {
            return new ReceivedCommand(contextId, CommandSet.decode(encoded.toByteArray()));
        } catch (DimseException e) {
            throw new DimseProtocolException("Cannot decode the command set: " + e.errorComment());
        }
    }

    /** Writes a command set in PDVs of at most the peer's maximum length. */
    public static void writeCommand(PdvChannel channel, int contextId, CommandSet command) throws IOException {
        byte[] encoded = command.encode();
        int fragment = channel.maxPdvDataLength();
        int offset = 0;
        do {
            int length = Math.min(fragment, encoded.length - offset);
            channel.writePdv(contextId, true, offset + length == encoded.length, encoded, offset, length);
            offset += length;
        } while (offset < encoded.length);
    }
}
