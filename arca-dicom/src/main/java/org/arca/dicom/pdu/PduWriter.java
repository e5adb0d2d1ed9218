package org.arca.dicom.pdu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes PDUs to a transport connection. The methods are synchronized so that an A-ABORT
 * from another thread never interleaves with a PDU being written.
 */
public final class PduWriter {
    private final OutputStream out;

    public PduWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one PDU and flushes it. */
    public synchronized void write(Pdu pdu) throws IOException {
        byte[] encoded = encode(pdu);
        out.write(encoded);
        out.flush();
    }

    /**
     * Writes a P-DATA-TF with a single PDV from a slice of a buffer, without copying it, and
     * flushes it. The caller keeps the slice within the peer's maximum length minus 6.
     */
    public synchronized void writePData(int contextId, boolean command, boolean last, byte[] data, int offset,
            int length) throws IOException {
        byte[] header = new byte[12];
        header[0] = PduType.P_DATA_TF;
        putU32(header, 2, length + 6L);
        putU32(header, 6, length + 2L);
        header[10] = (byte) contextId;
        header[11] = (byte) ((command ? 1 : 0) | (last ? 2 : 0));
        out.write(header);
        out.write(data, offset, length);
        out.flush();
    }

    /** Encodes a PDU with its 6-byte header. */
    public static byte[] encode(Pdu pdu) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (pdu instanceof AAssociateRq rq) {
            encodeHeader(body, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
            UserInformationCodec.writeSubItem(body, ItemType.APPLICATION_CONTEXT,
                    UserInformationCodec.ascii(rq.applicationContextName()));
            for (PresentationContextRq context : rq.presentationContexts()) {
                UserInformationCodec.writeSubItem(body, ItemType.PRESENTATION_CONTEXT_RQ, encodeContext(context));
            }
            UserInformationCodec.encode(rq.userInformation(), body);
        } else if (pdu instanceof AAssociateAc ac) {
            encodeHeader(body, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
            UserInformationCodec.writeSubItem(body, ItemType.APPLICATION_CONTEXT,
                    UserInformationCodec.ascii(ac.applicationContextName()));
            for (PresentationContextAc context : ac.presentationContexts()) {
                UserInformationCodec.writeSubItem(body, ItemType.PRESENTATION_CONTEXT_AC, encodeContext(context));
            }
            UserInformationCodec.encode(ac.userInformation(), body);
        } else if (pdu instanceof AAssociateRj rj) {
            body.writeBytes(new byte[] {0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()});
        } else if (pdu instanceof PDataTf data) {
            for (Pdv pdv : data.pdvs()) {
                body.writeBytes(UserInformationCodec.u32(pdv.data().length + 2L));
                body.write(pdv.contextId());
                body.write(pdv.messageControlHeader());
                body.writeBytes(pdv.data());
            }
        } else if (pdu instanceof AAbort abort) {
            body.writeBytes(new byte[] {0, 0, (byte) abort.source(), (byte) abort.reason()});
        } else if (pdu instanceof AReleaseRq || pdu instanceof AReleaseRp) {
            body.writeBytes(new byte[4]);
        } else {
            throw new IllegalArgumentException("Cannot encode PDU " + pdu);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + PduReader.HEADER_LENGTH);
        out.write(pdu.type());
        out.write(0);
        out.writeBytes(UserInformationCodec.u32(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void encodeHeader(ByteArrayOutputStream body, int protocolVersion, String called, String calling) {
        body.writeBytes(UserInformationCodec.u16(protocolVersion));
        body.writeBytes(new byte[2]);
        body.writeBytes(aeTitle(called));
        body.writeBytes(aeTitle(calling));
        body.writeBytes(new byte[32]);
    }

    private static byte[] encodeContext(PresentationContextRq context) {
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        item.writeBytes(new byte[] {(byte) context.id(), 0, 0, 0});
        UserInformationCodec.writeSubItem(item, ItemType.ABSTRACT_SYNTAX,
                UserInformationCodec.ascii(context.abstractSyntax()));
        for (String transferSyntax : context.transferSyntaxes()) {
            UserInformationCodec.writeSubItem(item, ItemType.TRANSFER_SYNTAX, UserInformationCodec.ascii(transferSyntax));
        }
        return item.toByteArray();
    }

    private static byte[] encodeContext(PresentationContextAc context) {
        ByteArrayOutputStream item = new ByteArrayOutputStream();
        item.writeBytes(new byte[] {(byte) context.id(), 0, (byte) context.result(), 0});
        // PS3.8 9.3.3.2: the transfer syntax sub-item is sent even for a rejected context.
        UserInformationCodec.writeSubItem(item, ItemType.TRANSFER_SYNTAX,
                UserInformationCodec.ascii(context.transferSyntax()));
        return item.toByteArray();
    }

    /** Encodes an AE title as 16 bytes, padded with spaces. */
    static byte[] aeTitle(String title) {
        byte[] value = title.getBytes(StandardCharsets.US_ASCII);
        if (value.length == 0 || value.length > 16) {
            throw new IllegalArgumentException("AE title '" + title + "' must have 1 to 16 characters");
        }
        byte[] padded = new byte[16];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(value, 0, padded, 0, value.length);
        return padded;
    }

    private static void putU32(byte[] target, int offset, long value) {
        target[offset] = (byte) (value >> 24);
        target[offset + 1] = (byte) (value >> 16);
        target[offset + 2] = (byte) (value >> 8);
        target[offset + 3] = (byte) value;
    }
}
