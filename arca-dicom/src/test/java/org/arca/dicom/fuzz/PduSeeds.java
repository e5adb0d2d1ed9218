package org.arca.dicom.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.AReleaseRp;
import org.arca.dicom.pdu.AReleaseRq;
import org.arca.dicom.pdu.AsyncOperationsWindow;
import org.arca.dicom.pdu.CommonExtendedNegotiation;
import org.arca.dicom.pdu.ExtendedNegotiation;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.Pdv;
import org.arca.dicom.pdu.PresentationContextAc;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.pdu.UserIdentityAc;
import org.arca.dicom.pdu.UserIdentityRq;
import org.arca.dicom.pdu.UserInformation;
import org.arca.dicom.uid.UID;

/** Well-formed PDUs, encoded by {@link PduWriter}, that the PDU fuzzers start from. */
final class PduSeeds {

    static final String CT = UID.CTImageStorage;

    private PduSeeds() {
    }

    /** Returns every seed PDU, encoded with its header. */
    static List<byte[]> all() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(PduWriter.encode(associateRq()));
        seeds.add(PduWriter.encode(echoRq()));
        seeds.add(PduWriter.encode(associateAc()));
        seeds.add(PduWriter.encode(new AAssociateRj(AAssociateRj.RESULT_PERMANENT,
                AAssociateRj.SOURCE_SERVICE_USER, AAssociateRj.USER_CALLED_AE_TITLE_NOT_RECOGNIZED)));
        seeds.add(PduWriter.encode(pData()));
        seeds.add(PduWriter.encode(echoCommand()));
        seeds.add(PduWriter.encode(new AReleaseRq()));
        seeds.add(PduWriter.encode(new AReleaseRp()));
        seeds.add(PduWriter.encode(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU)));
        return seeds;
    }

    /** An A-ASSOCIATE-RQ with many presentation contexts and every user information sub-item. */
    static AAssociateRq associateRq() {
        List<PresentationContextRq> contexts = new ArrayList<>();
        for (int id = 1; id <= 15; id += 2) {
            contexts.add(new PresentationContextRq(id, CT,
                    List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian, UID.JPEGBaseline8Bit)));
        }
        contexts.add(new PresentationContextRq(17, UID.Verification, List.of(UID.ImplicitVRLittleEndian)));
        UserIdentityRq identity = new UserIdentityRq(UserIdentityRq.USERNAME_AND_PASSCODE, true,
                "alice".getBytes(StandardCharsets.US_ASCII), "secret".getBytes(StandardCharsets.US_ASCII));
        return new AAssociateRq(1, "ARCA", "FUZZSCU", UID.DICOMApplicationContext, contexts,
                userInformation(identity, null));
    }

    /** An A-ASSOCIATE-RQ for Verification that the fuzzed server accepts. */
    static AAssociateRq echoRq() {
        return new AAssociateRq(1, "ARCA", "FUZZSCU", UID.DICOMApplicationContext,
                List.of(new PresentationContextRq(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian))),
                UserInformation.of(16384, "1.2.3.4", "FUZZ"));
    }

    static AAssociateAc associateAc() {
        return new AAssociateAc(1, "ARCA", "FUZZSCU", UID.DICOMApplicationContext,
                List.of(new PresentationContextAc(1, PresentationContextAc.ACCEPTANCE, UID.ExplicitVRLittleEndian),
                        new PresentationContextAc(3, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                                UID.ImplicitVRLittleEndian)),
                userInformation(null, new UserIdentityAc(new byte[] {1, 2, 3})));
    }

    private static UserInformation userInformation(UserIdentityRq identityRq, UserIdentityAc identityAc) {
        return new UserInformation(16384, "1.2.3.4", "FUZZ_1", new AsyncOperationsWindow(2, 3),
                List.of(new RoleSelection(CT, true, true), new RoleSelection(UID.Verification, true, false)),
                List.of(new ExtendedNegotiation(CT, new byte[] {1, 0, 1, 0})),
                List.of(new CommonExtendedNegotiation(CT, "1.2.840.10008.4.2", List.of("1.2.5", "1.2.6.7"))),
                identityRq, identityAc);
    }

    /** A P-DATA-TF with a command fragment and two data set fragments. */
    static PDataTf pData() {
        return new PDataTf(List.of(new Pdv(1, true, true, echoCommandBytes()),
                new Pdv(1, false, false, new byte[] {8, 0, 0x18, 0, 2, 0, 0, 0, '1', 0}),
                new Pdv(1, false, true, new byte[64])));
    }

    /** A P-DATA-TF with a whole C-ECHO-RQ command set on presentation context 1. */
    static PDataTf echoCommand() {
        return new PDataTf(List.of(new Pdv(1, true, true, echoCommandBytes())));
    }

    /** Returns a C-ECHO-RQ command set (implicit VR little endian, PS3.7 section 9.3.5). */
    static byte[] echoCommandBytes() {
        ByteArrayOutputStream elements = new ByteArrayOutputStream();
        writeElement(elements, 0x0000_0002, padded(UID.Verification));
        writeElement(elements, 0x0000_0100, new byte[] {0x30, 0x00});
        writeElement(elements, 0x0000_0110, new byte[] {0x01, 0x00});
        writeElement(elements, 0x0000_0800, new byte[] {0x01, 0x01});
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        int groupLength = elements.size();
        writeElement(command, 0x0000_0000, new byte[] {(byte) groupLength, (byte) (groupLength >> 8), 0, 0});
        command.writeBytes(elements.toByteArray());
        return command.toByteArray();
    }

    private static byte[] padded(String uid) {
        byte[] value = uid.getBytes(StandardCharsets.US_ASCII);
        return value.length % 2 == 0 ? value : java.util.Arrays.copyOf(value, value.length + 1);
    }

    private static void writeElement(ByteArrayOutputStream out, int tag, byte[] value) {
        out.writeBytes(new byte[] {(byte) (tag >> 16), (byte) (tag >> 24), (byte) tag, (byte) (tag >> 8)});
        int length = value.length;
        out.writeBytes(new byte[] {(byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
        out.writeBytes(value);
    }
}
