package org.arca.dicom.pdu;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads PDUs from a transport connection. Every PDU length is checked against a cap before
 * the PDU body is allocated: a P-DATA-TF may not exceed the maximum length this side
 * advertised, and the other PDU types may not exceed {@link #ASSOCIATE_PDU_CAP} or that
 * maximum, whichever is larger.
 */
public final class PduReader {
    /** Bytes of the PDU header: type, reserved byte and 4-byte length. */
    public static final int HEADER_LENGTH = 6;

    /** The lowest cap for A-ASSOCIATE PDUs, in bytes; room for 128 presentation contexts. */
    public static final int ASSOCIATE_PDU_CAP = 64 * 1024;

    private final DataInputStream in;
    private volatile int maxPduLength;

    /**
     * @param maxPduLength the maximum PDU length (without header) this side accepts, in bytes;
     *     must be positive
     */
    public PduReader(InputStream in, int maxPduLength) {
        this.in = new DataInputStream(in);
        setMaxPduLength(maxPduLength);
    }

    public void setMaxPduLength(int maxPduLength) {
        if (maxPduLength <= 0) {
            throw new IllegalArgumentException("maxPduLength must be positive, got " + maxPduLength);
        }
        this.maxPduLength = maxPduLength;
    }

    /**
     * Reads the next PDU.
     *
     * @return the PDU, or null if the peer closed the connection between two PDUs
     * @throws PduException if the PDU is unknown, too long or malformed
     * @throws EOFException if the connection closed in the middle of a PDU
     */
    public Pdu read() throws IOException, PduException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        in.readUnsignedByte();
        long length = in.readInt() & 0xFFFFFFFFL;
        checkLength(type, length);
        if (type == PduType.P_DATA_TF) {
            return readPData(length);
        }

        byte[] body = new byte[(int) length];
        in.readFully(body);
        ItemCursor cursor = new ItemCursor(body, 0, body.length);
        return switch (type) {
            case PduType.A_ASSOCIATE_RQ -> AssociatePduDecoder.decodeRq(cursor);
            case PduType.A_ASSOCIATE_AC -> AssociatePduDecoder.decodeAc(cursor);
            case PduType.A_ASSOCIATE_RJ -> decodeRj(cursor);
            case PduType.A_RELEASE_RQ -> new AReleaseRq();
            case PduType.A_RELEASE_RP -> new AReleaseRp();
            case PduType.A_ABORT -> decodeAbort(cursor);
            default -> throw new IllegalStateException("checkLength let through PDU type " + type);
        };
    }

    private void checkLength(int type, long length) throws PduException {
        long cap = switch (type) {
            case PduType.P_DATA_TF -> maxPduLength;
            case PduType.A_ASSOCIATE_RQ, PduType.A_ASSOCIATE_AC -> Math.max(ASSOCIATE_PDU_CAP, maxPduLength);
            case PduType.A_ASSOCIATE_RJ, PduType.A_RELEASE_RQ, PduType.A_RELEASE_RP, PduType.A_ABORT -> 4;
            default -> throw new PduException(String.format("Unrecognized PDU type 0x%02X", type),
                    AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU));
        };
        if (length > cap || (cap == 4 && length != 4)) {
            throw new PduException(PduType.name(type) + " has length " + length + " but the limit is " + cap
                    + " bytes; the peer must respect the maximum PDU length it was sent",
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    private static AAssociateRj decodeRj(ItemCursor cursor) throws PduException {
        cursor.skip(1, "A-ASSOCIATE-RJ reserved byte");
        return new AAssociateRj(cursor.u8("result"), cursor.u8("source"), cursor.u8("reason"));
    }

    private static AAbort decodeAbort(ItemCursor cursor) throws PduException {
        cursor.skip(2, "A-ABORT reserved bytes");
        return new AAbort(cursor.u8("source"), cursor.u8("reason"));
    }

    /**
     * Reads the PDV items of a P-DATA-TF of {@code length} bytes straight into their data arrays,
     * so that the PDU body is not copied first. A malformed item fails before the rest of the PDU
     * is read, and the association then ends.
     */
    private PDataTf readPData(long length) throws IOException, PduException {
        List<Pdv> pdvs = new ArrayList<>(1);
        long remaining = length;
        while (remaining > 0) {
            if (remaining < 4) {
                throw new PduException("Malformed PDU: PDV item length needs 4 bytes but only " + remaining
                        + " remain in the P-DATA-TF", AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
            }
            long itemLength = in.readInt() & 0xFFFFFFFFL;
            remaining -= 4;
            if (itemLength < 2 || itemLength > remaining) {
                throw new PduException("PDV item length " + itemLength + " is below 2 or overruns the "
                        + remaining + " bytes left in the P-DATA-TF",
                        AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
            }

            int contextId = in.readUnsignedByte();
            int header = in.readUnsignedByte();
            byte[] data = new byte[(int) itemLength - 2];
            in.readFully(data);
            remaining -= itemLength;
            pdvs.add(new Pdv(contextId, (header & 1) != 0, (header & 2) != 0, data));
        }
        if (pdvs.isEmpty()) {
            throw new PduException("P-DATA-TF contains no PDV",
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        return new PDataTf(pdvs);
    }
}
