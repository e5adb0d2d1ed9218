package org.arca.dicom.pdu;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Decodes the variable fields of A-ASSOCIATE-RQ and A-ASSOCIATE-AC PDUs. */
final class AssociatePduDecoder {

    private static final HexFormat HEX_DIGITS = HexFormat.of().withUpperCase();
    private AssociatePduDecoder() {
    }

    static AAssociateRq decodeRq(ItemCursor cursor) throws PduException {
        Header header = decodeHeader(cursor);
        if ((header.protocolVersion & 1) == 0) {
            throw new PduException("A-ASSOCIATE-RQ proposes protocol version 0x"
                    + Integer.toHexString(header.protocolVersion) + " but only version 1 is supported",
                    new AAssociateRj(AAssociateRj.RESULT_PERMANENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_ACSE,
                            AAssociateRj.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED));
        }
        String applicationContext = null;
        List<PresentationContextRq> contexts = new ArrayList<>();
        UserInformation userInformation = null;
        while (cursor.hasRemaining()) {
            int itemType = cursor.u8("item type");
            cursor.skip(1, "item reserved byte");
            ItemCursor item = cursor.item(cursor.u16("item length"), "item of type " + hex(itemType));
            switch (itemType) {
                case ItemType.APPLICATION_CONTEXT -> applicationContext = item.ascii(item.remaining(),
                        "application context name");
                case ItemType.PRESENTATION_CONTEXT_RQ -> contexts.add(decodeContextRq(item));
                case ItemType.USER_INFORMATION -> userInformation = UserInformationCodec.decode(item);
                default -> throw unrecognizedItem(itemType, "A-ASSOCIATE-RQ");
            }
        }
        requirePresent(applicationContext, userInformation, "A-ASSOCIATE-RQ");
        return new AAssociateRq(header.protocolVersion, header.calledAeTitle, header.callingAeTitle,
                applicationContext, contexts, userInformation);
    }

    static AAssociateAc decodeAc(ItemCursor cursor) throws PduException {
        Header header = decodeHeader(cursor);
        String applicationContext = null;
        List<PresentationContextAc> contexts = new ArrayList<>();
        UserInformation userInformation = null;
        while (cursor.hasRemaining()) {
            int itemType = cursor.u8("item type");
            cursor.skip(1, "item reserved byte");
            ItemCursor item = cursor.item(cursor.u16("item length"), "item of type " + hex(itemType));
            switch (itemType) {
                case ItemType.APPLICATION_CONTEXT -> applicationContext = item.ascii(item.remaining(),
                        "application context name");
                case ItemType.PRESENTATION_CONTEXT_AC -> contexts.add(decodeContextAc(item));
                case ItemType.USER_INFORMATION -> userInformation = UserInformationCodec.decode(item);
                default -> throw unrecognizedItem(itemType, "A-ASSOCIATE-AC");
            }
        }
        requirePresent(applicationContext, userInformation, "A-ASSOCIATE-AC");
        return new AAssociateAc(header.protocolVersion, header.calledAeTitle, header.callingAeTitle,
                applicationContext, contexts, userInformation);
    }

    private record Header(int protocolVersion, String calledAeTitle, String callingAeTitle) {
    }

    private static Header decodeHeader(ItemCursor cursor) throws PduException {
        int protocolVersion = cursor.u16("protocol version");
        cursor.skip(2, "reserved bytes");
        String called = cursor.ascii(16, "called AE title").strip();
        String calling = cursor.ascii(16, "calling AE title").strip();
        cursor.skip(32, "reserved bytes");
        return new Header(protocolVersion, called, calling);
    }

    private static PresentationContextRq decodeContextRq(ItemCursor item) throws PduException {
        int id = item.u8("presentation context ID");
        item.skip(3, "presentation context reserved bytes");
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            int subType = item.u8("sub-item type");
            item.skip(1, "sub-item reserved byte");
            int length = item.u16("sub-item length");
            String uid = item.ascii(length, "presentation context " + id + " sub-item " + hex(subType));
            if (subType == ItemType.ABSTRACT_SYNTAX) {
                abstractSyntax = uid;
            } else if (subType == ItemType.TRANSFER_SYNTAX) {
                transferSyntaxes.add(uid);
            } else {
                throw unrecognizedItem(subType, "presentation context " + id);
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw new PduException("Presentation context " + id + " lacks an abstract syntax or a transfer syntax",
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        return new PresentationContextRq(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextAc decodeContextAc(ItemCursor item) throws PduException {
        int id = item.u8("presentation context ID");
        item.skip(1, "presentation context reserved byte");
        int result = item.u8("presentation context result");
        item.skip(1, "presentation context reserved byte");
        String transferSyntax = "";
        while (item.hasRemaining()) {
            int subType = item.u8("sub-item type");
            item.skip(1, "sub-item reserved byte");
            int length = item.u16("sub-item length");
            String uid = item.ascii(length, "presentation context " + id + " transfer syntax");
            if (subType != ItemType.TRANSFER_SYNTAX) {
                throw unrecognizedItem(subType, "presentation context " + id);
            }
            transferSyntax = uid;
        }
        return new PresentationContextAc(id, result, transferSyntax);
    }

    private static void requirePresent(String applicationContext, UserInformation userInformation, String pdu)
            throws PduException {
        if (applicationContext == null || userInformation == null) {
            throw new PduException(pdu + " lacks the application context item or the user information item",
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
    }

    static PduException unrecognizedItem(int itemType, String where) {
        return new PduException("Unrecognized item type " + hex(itemType) + " in " + where,
                AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU_PARAMETER));
    }

    /**
     * Formats an item type as {@code 0x} and two upper-case hexadecimal digits. The decoder calls it
     * for every item and sub-item of an A-ASSOCIATE-RQ, to name the field before any error occurs, so
     * it avoids {@code String.format}, which parses its pattern on each call.
     */
    static String hex(int value) {
        return "0x" + HEX_DIGITS.toHexDigits((byte) value);
    }
}
