package org.arca.dicom.pdu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes and encodes the user information item and its sub-items (PS3.7 Annex D.3.3). */
final class UserInformationCodec {
    private UserInformationCodec() {
    }

    static UserInformation decode(ItemCursor item) throws PduException {
        long maxLength = -1;
        String classUid = null;
        String versionName = null;
        AsyncOperationsWindow window = null;
        List<RoleSelection> roles = new ArrayList<>();
        List<ExtendedNegotiation> extended = new ArrayList<>();
        List<CommonExtendedNegotiation> common = new ArrayList<>();
        UserIdentityRq identityRq = null;
        UserIdentityAc identityAc = null;

        while (item.hasRemaining()) {
            int subType = item.u8("user information sub-item type");
            item.skip(1, "sub-item reserved byte");
            int length = item.u16("sub-item length");
            ItemCursor sub = item.item(length, "user information sub-item " + AssociatePduDecoder.hex(subType));
            switch (subType) {
                case ItemType.MAXIMUM_LENGTH -> maxLength = exact(sub, 4, "maximum length").u32("maximum length");
                case ItemType.IMPLEMENTATION_CLASS_UID -> classUid = sub.ascii(length, "implementation class UID");
                case ItemType.IMPLEMENTATION_VERSION_NAME -> versionName = sub.ascii(length,
                        "implementation version name");
                case ItemType.ASYNCHRONOUS_OPERATIONS_WINDOW -> window = new AsyncOperationsWindow(
                        exact(sub, 4, "asynchronous operations window").u16("max operations invoked"),
                        sub.u16("max operations performed"));
                case ItemType.ROLE_SELECTION -> roles.add(decodeRole(sub));
                case ItemType.SOP_CLASS_EXTENDED_NEGOTIATION -> extended.add(new ExtendedNegotiation(
                        sub.ascii(sub.u16("SOP class UID length"), "SOP class UID"),
                        sub.bytes(sub.remaining(), "service class application information")));
                case ItemType.SOP_CLASS_COMMON_EXTENDED_NEGOTIATION -> common.add(decodeCommon(sub));
                case ItemType.USER_IDENTITY_RQ -> identityRq = decodeIdentityRq(sub);
                case ItemType.USER_IDENTITY_AC -> identityAc = new UserIdentityAc(
                        sub.bytes(sub.u16("server response length"), "server response"));
                default -> {
                    // PS3.7 D.3.3: a receiver ignores user information sub-items it does not know.
                }
            }
        }

        if (maxLength < 0 || classUid == null) {
            throw new PduException("User information lacks the maximum length or the implementation class UID"
                    + " sub-item", AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        return new UserInformation(maxLength, classUid, versionName, window, roles, extended, common,
                identityRq, identityAc);
    }

    private static ItemCursor exact(ItemCursor sub, int length, String field) throws PduException {
        if (sub.remaining() != length) {
            throw new PduException("Sub-item " + field + " has length " + sub.remaining() + " instead of " + length,
                    AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        }
        return sub;
    }

    private static RoleSelection decodeRole(ItemCursor sub) throws PduException {
        String uid = sub.ascii(sub.u16("SOP class UID length"), "role selection SOP class UID");
        return new RoleSelection(uid, sub.u8("SCU role") == 1, sub.u8("SCP role") == 1);
    }

    private static CommonExtendedNegotiation decodeCommon(ItemCursor sub) throws PduException {
        String sopClass = sub.ascii(sub.u16("SOP class UID length"), "SOP class UID");
        String serviceClass = sub.ascii(sub.u16("service class UID length"), "service class UID");
        ItemCursor related = sub.item(sub.u16("related general SOP class identification length"),
                "related general SOP class identification");
        List<String> relatedUids = new ArrayList<>();
        while (related.hasRemaining()) {
            relatedUids.add(related.ascii(related.u16("related general SOP class UID length"),
                    "related general SOP class UID"));
        }
        return new CommonExtendedNegotiation(sopClass, serviceClass, relatedUids);
    }

    private static UserIdentityRq decodeIdentityRq(ItemCursor sub) throws PduException {
        int type = sub.u8("user identity type");
        boolean positive = sub.u8("positive response requested") == 1;
        byte[] primary = sub.bytes(sub.u16("primary field length"), "primary field");
        byte[] secondary = sub.bytes(sub.u16("secondary field length"), "secondary field");
        return new UserIdentityRq(type, positive, primary, secondary);
    }

    static void encode(UserInformation info, ByteArrayOutputStream out) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeSubItem(body, ItemType.MAXIMUM_LENGTH, u32(info.maxLength()));
        writeSubItem(body, ItemType.IMPLEMENTATION_CLASS_UID, ascii(info.implementationClassUid()));
        if (info.asyncOperationsWindow() != null) {
            AsyncOperationsWindow window = info.asyncOperationsWindow();
            writeSubItem(body, ItemType.ASYNCHRONOUS_OPERATIONS_WINDOW,
                    concat(u16(window.maxOperationsInvoked()), u16(window.maxOperationsPerformed())));
        }
        for (RoleSelection role : info.roleSelections()) {
            writeSubItem(body, ItemType.ROLE_SELECTION, concat(lengthPrefixed(ascii(role.sopClassUid())),
                    new byte[] {(byte) (role.scuRole() ? 1 : 0), (byte) (role.scpRole() ? 1 : 0)}));
        }
        if (info.implementationVersionName() != null) {
            writeSubItem(body, ItemType.IMPLEMENTATION_VERSION_NAME, ascii(info.implementationVersionName()));
        }
        for (ExtendedNegotiation extended : info.extendedNegotiations()) {
            writeSubItem(body, ItemType.SOP_CLASS_EXTENDED_NEGOTIATION, concat(
                    lengthPrefixed(ascii(extended.sopClassUid())), extended.serviceClassApplicationInformation()));
        }
        for (CommonExtendedNegotiation common : info.commonExtendedNegotiations()) {
            writeSubItem(body, ItemType.SOP_CLASS_COMMON_EXTENDED_NEGOTIATION, encodeCommon(common));
        }
        if (info.userIdentityRq() != null) {
            UserIdentityRq identity = info.userIdentityRq();
            writeSubItem(body, ItemType.USER_IDENTITY_RQ, concat(
                    new byte[] {(byte) identity.identityType(), (byte) (identity.positiveResponseRequested() ? 1 : 0)},
                    lengthPrefixed(identity.primaryField()), lengthPrefixed(identity.secondaryField())));
        }
        if (info.userIdentityAc() != null) {
            writeSubItem(body, ItemType.USER_IDENTITY_AC, lengthPrefixed(info.userIdentityAc().serverResponse()));
        }
        writeSubItem(out, ItemType.USER_INFORMATION, body.toByteArray());
    }

    private static byte[] encodeCommon(CommonExtendedNegotiation common) {
        ByteArrayOutputStream related = new ByteArrayOutputStream();
        for (String uid : common.relatedGeneralSopClassUids()) {
            related.writeBytes(lengthPrefixed(ascii(uid)));
        }
        return concat(lengthPrefixed(ascii(common.sopClassUid())), lengthPrefixed(ascii(common.serviceClassUid())),
                lengthPrefixed(related.toByteArray()));
    }

    /** Writes an item or sub-item: type, reserved byte, 2-byte length, value. */
    static void writeSubItem(ByteArrayOutputStream out, int type, byte[] value) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("Item " + AssociatePduDecoder.hex(type) + " value of "
                    + value.length + " bytes exceeds the 65535-byte item length limit");
        }
        out.write(type);
        out.write(0);
        out.writeBytes(u16(value.length));
        out.writeBytes(value);
    }

    static byte[] ascii(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] lengthPrefixed(byte[] value) {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("Field of " + value.length + " bytes exceeds the 65535-byte limit");
        }
        return concat(u16(value.length), value);
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    static byte[] u32(long value) {
        return new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
