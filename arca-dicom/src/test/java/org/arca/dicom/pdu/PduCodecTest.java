package org.arca.dicom.pdu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduCodecTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    static UserInformation fullUserInformation(UserIdentityRq identityRq, UserIdentityAc identityAc) {
        return new UserInformation(16384, "1.2.3.4", "ARCA_0_1", new AsyncOperationsWindow(3, 5),
                List.of(new RoleSelection(CT, true, false), new RoleSelection("1.2.3", false, true)),
                List.of(new ExtendedNegotiation(CT, new byte[] {1, 0, 1})),
                List.of(new CommonExtendedNegotiation(CT, "1.2.840.10008.4.2", List.of("1.2.5", "1.2.6.7"))),
                identityRq, identityAc);
    }

    static AAssociateRq fullRq() {
        UserIdentityRq identity = new UserIdentityRq(UserIdentityRq.USERNAME_AND_PASSCODE, true,
                "alice".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
        return new AAssociateRq(1, "ARCA", "STORESCU", "1.2.840.10008.3.1.1.1",
                List.of(new PresentationContextRq(1, CT, List.of(EXPLICIT_LE, IMPLICIT_LE)),
                        new PresentationContextRq(3, "1.2.840.10008.1.1", List.of(IMPLICIT_LE))),
                fullUserInformation(identity, null));
    }

    private static Pdu roundTrip(Pdu pdu) throws Exception {
        byte[] encoded = PduWriter.encode(pdu);
        PduReader reader = new PduReader(new ByteArrayInputStream(encoded), 1 << 20);
        Pdu decoded = reader.read();
        assertThat(reader.read()).as("nothing after the PDU").isNull();
        return decoded;
    }

    @Test
    void associateRqRoundTrip() throws Exception {
        AAssociateRq rq = fullRq();
        assertThat(roundTrip(rq)).isEqualTo(rq);
    }

    @Test
    void associateAcRoundTrip() throws Exception {
        AAssociateAc ac = new AAssociateAc(1, "ARCA", "STORESCU", "1.2.840.10008.3.1.1.1",
                List.of(new PresentationContextAc(1, PresentationContextAc.ACCEPTANCE, EXPLICIT_LE),
                        new PresentationContextAc(3, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, IMPLICIT_LE),
                        new PresentationContextAc(5, PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                                IMPLICIT_LE)),
                fullUserInformation(null, new UserIdentityAc(new byte[] {9, 8, 7})));
        assertThat(roundTrip(ac)).isEqualTo(ac);
    }

    @Test
    void associateRjRoundTrip() throws Exception {
        AAssociateRj rj = new AAssociateRj(1, 1, 7);
        assertThat(roundTrip(rj)).isEqualTo(rj);
    }

    @Test
    void pdataRoundTrip() throws Exception {
        PDataTf pdata = new PDataTf(List.of(new Pdv(1, true, true, new byte[] {1, 2, 3}),
                new Pdv(3, false, false, new byte[0]), new Pdv(255, false, true, new byte[1000])));
        assertThat(roundTrip(pdata)).isEqualTo(pdata);
    }

    @Test
    void releaseAndAbortRoundTrip() throws Exception {
        assertThat(roundTrip(new AReleaseRq())).isEqualTo(new AReleaseRq());
        assertThat(roundTrip(new AReleaseRp())).isEqualTo(new AReleaseRp());
        assertThat(roundTrip(new AAbort(2, 6))).isEqualTo(new AAbort(2, 6));
    }

    @Test
    void writePDataMatchesEncode() throws Exception {
        byte[] data = {5, 6, 7, 8, 9};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PduWriter(out).writePData(7, false, true, data, 1, 3);
        byte[] expected = PduWriter.encode(new PDataTf(List.of(new Pdv(7, false, true, new byte[] {6, 7, 8}))));
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void aeTitleIsSpacePadded() {
        byte[] encoded = PduWriter.encode(fullRq());
        assertThat(new String(encoded, 10, 16, StandardCharsets.US_ASCII)).isEqualTo("ARCA            ");
        assertThat(new String(encoded, 26, 16, StandardCharsets.US_ASCII)).isEqualTo("STORESCU        ");
    }

    @Test
    void unknownUserInformationSubItemIgnored() throws Exception {
        byte[] encoded = PduWriter.encode(new AAssociateRq(1, "A", "B", "1.2.840.10008.3.1.1.1",
                List.of(new PresentationContextRq(1, CT, List.of(IMPLICIT_LE))), UserInformation.of(0, "1.2", null)));
        // Append a sub-item of unknown type 0x5F with 2 bytes to the user information item, which is last.
        byte[] extended = new byte[encoded.length + 6];
        System.arraycopy(encoded, 0, extended, 0, encoded.length);
        System.arraycopy(new byte[] {0x5F, 0, 0, 2, 1, 2}, 0, extended, encoded.length, 6);
        int userInfoStart = indexOfItem(extended, 0x50);
        addToU16(extended, userInfoStart + 2, 6);
        addToU32(extended, 2, 6);
        AAssociateRq rq = (AAssociateRq) new PduReader(new ByteArrayInputStream(extended), 1 << 16).read();
        assertThat(rq.userInformation().implementationClassUid()).isEqualTo("1.2");
    }

    // ---- malformed PDUs ----

    private static PduException decodeFailure(byte[] bytes, int maxPduLength) {
        return catchThrowableOfType(() -> new PduReader(new ByteArrayInputStream(bytes), maxPduLength).read(),
                PduException.class);
    }

    @Test
    void unknownTypeIsUnrecognizedPdu() {
        PduException error = decodeFailure(new byte[] {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0}, 16384);
        assertThat(error.reply()).isEqualTo(AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU));
    }

    @Test
    void lengthBeyondCapRejectedBeforeAllocation() {
        // A P-DATA-TF claiming 4 GiB - 1: the reader must fail without allocating or reading it.
        PduException error = decodeFailure(new byte[] {0x04, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                16384);
        assertThat(error.reply()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        assertThat(error.getMessage()).contains("4294967295").contains("16384");
    }

    @Test
    void pdataOneByteOverCapRejected() {
        byte[] pdata = PduWriter.encode(new PDataTf(List.of(new Pdv(1, false, true, new byte[16379]))));
        assertThat(decodeFailure(pdata, 16384).reply())
                .isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
        PduException none = catchThrowableOfType(
                () -> new PduReader(new ByteArrayInputStream(pdata), 16385).read(), PduException.class);
        assertThat(none).isNull();
    }

    @Test
    void releaseWithOddLengthRejected() {
        PduException error = decodeFailure(new byte[] {0x05, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0}, 16384);
        assertThat(error.reply()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void truncatedSubItemRejected() {
        byte[] encoded = PduWriter.encode(fullRq());
        // Cut the PDU inside its last sub-item and fix the PDU length to match the shorter body.
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 3);
        addToU32(truncated, 2, -3);
        PduException error = decodeFailure(truncated, 1 << 16);
        assertThat(error.reply()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void itemLengthOverrunRejected() {
        byte[] encoded = PduWriter.encode(fullRq());
        int contextItem = indexOfItem(encoded, 0x20);
        addToU16(encoded, contextItem + 2, 5000);
        PduException error = decodeFailure(encoded, 1 << 16);
        assertThat(error.reply()).isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void pdvLengthOverrunRejected() {
        byte[] pdata = PduWriter.encode(new PDataTf(List.of(new Pdv(1, false, true, new byte[10]))));
        addToU32(pdata, 6, 100);
        assertThat(decodeFailure(pdata, 16384).reply())
                .isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    @Test
    void unknownItemTypeIsUnrecognizedParameter() {
        byte[] encoded = PduWriter.encode(fullRq());
        encoded[indexOfItem(encoded, 0x20)] = 0x2F;
        assertThat(decodeFailure(encoded, 1 << 16).reply())
                .isEqualTo(AAbort.byProvider(AAbort.REASON_UNRECOGNIZED_PDU_PARAMETER));
    }

    @Test
    void protocolVersionTwoGetsRejection() {
        byte[] encoded = PduWriter.encode(fullRq());
        encoded[7] = 2;
        assertThat(decodeFailure(encoded, 1 << 16).reply()).isEqualTo(new AAssociateRj(
                AAssociateRj.RESULT_PERMANENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_ACSE,
                AAssociateRj.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED));
    }

    @Test
    void missingUserInformationRejected() {
        byte[] encoded = PduWriter.encode(fullRq());
        int userInfo = indexOfItem(encoded, 0x50);
        byte[] cut = java.util.Arrays.copyOf(encoded, userInfo);
        addToU32(cut, 2, userInfo - encoded.length);
        assertThat(decodeFailure(cut, 1 << 16).reply())
                .isEqualTo(AAbort.byProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE));
    }

    /** Returns the offset of the first top-level item of this type in an A-ASSOCIATE PDU. */
    static int indexOfItem(byte[] pdu, int itemType) {
        int position = 6 + 68;
        while (position < pdu.length) {
            if ((pdu[position] & 0xFF) == itemType) {
                return position;
            }
            position += 4 + (((pdu[position + 2] & 0xFF) << 8) | (pdu[position + 3] & 0xFF));
        }
        throw new AssertionError("no item of type " + itemType);
    }

    static void addToU16(byte[] bytes, int offset, int delta) {
        int value = (((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF)) + delta;
        bytes[offset] = (byte) (value >> 8);
        bytes[offset + 1] = (byte) value;
    }

    static void addToU32(byte[] bytes, int offset, int delta) {
        long value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        value += delta;
        for (int i = 3; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>= 8;
        }
    }
}
