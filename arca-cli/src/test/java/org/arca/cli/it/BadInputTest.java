package org.arca.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.arca.dicom.dimse.CStoreRequest;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.pdu.AAbort;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.PDataTf;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduReader;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.Pdv;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.UserInformation;
import org.arca.dicom.uid.UID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input from the network: each gets a failure status or an abort, and nothing becomes visible. */
class BadInputTest {

    @TempDir
    static Path temp;

    private static TestInstance slice;

    @BeforeAll
    static void generateSlice() throws Exception {
        Path input = temp.resolve("input");
        Peers.generate("ct", "--slices", "2", "--out", input.toString());
        slice = TestInstance.readAll(input).get(0);
    }

    @Test
    void truncatedDatasetGetsCannotUnderstand() throws Exception {
        Path data = temp.resolve("truncated");
        byte[] truncated = Arrays.copyOf(slice.dataset(), slice.dataset().length / 2);
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            DimseResponse response = Scu.store(arca.dicomPort(), slice.sopClassUid(), slice.sopInstanceUid(),
                    slice.transferSyntaxUid(), truncated);

            assertThat(response.status()).isEqualTo(Status.CANNOT_UNDERSTAND);
            assertThat(response.errorComment()).isNotBlank();
            assertThat(arca.healthStatus()).isEqualTo(200);
        }
        assertThat(Peers.instances(Peers.listJson(data))).isEmpty();
    }

    @Test
    void invalidUidGetsCannotUnderstand() throws Exception {
        Path data = temp.resolve("invalid-uid");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            DimseResponse response = Scu.store(arca.dicomPort(), slice.sopClassUid(), "1.2.3.abc",
                    slice.transferSyntaxUid(), slice.dataset());

            assertThat(response.status()).isEqualTo(Status.CANNOT_UNDERSTAND);
            assertThat(response.errorComment()).contains("1.2.3.abc");
        }
        assertThat(Peers.instances(Peers.listJson(data))).isEmpty();
    }

    @Test
    void mismatchedSopInstanceGetsA900() throws Exception {
        Path data = temp.resolve("mismatch");
        try (ArcaProcess arca = ArcaProcess.start(data)) {
            DimseResponse response = Scu.store(arca.dicomPort(), slice.sopClassUid(), slice.sopInstanceUid() + ".9",
                    slice.transferSyntaxUid(), slice.dataset());

            assertThat(response.status()).isEqualTo(Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
            assertThat(response.errorComment()).isNotBlank();
            assertThat(Scu.store(arca.dicomPort(), slice).status()).as("the next store").isEqualTo(Status.SUCCESS);

            String log = arca.awaitLog("1 C-STORE-RQ (0 failed)", Duration.ofSeconds(10));
            assertThat(log).as("end line of the failed store's association")
                    .contains("was released, after responding to 1 C-STORE-RQ (1 failed)");
            assertThat(log).as("end line of the next store's association")
                    .contains("was released, after responding to 1 C-STORE-RQ (0 failed)");
        }
        assertThat(Peers.instances(Peers.listJson(data))).hasSize(1);
    }

    @Test
    void stalledDataSetGetsAbortAndNothingStored() throws Exception {
        Path data = temp.resolve("stalled");
        Path config = temp.resolve("stalled.yaml");
        Files.writeString(config, "dicom:\n  idleTimeoutMs: 1000\n");
        try (ArcaProcess arca = ArcaProcess.start(data, "--config", config.toString())) {
            Pdu reply;
            long stalledMs;
            try (Socket socket = new Socket("127.0.0.1", arca.dicomPort())) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                PduReader in = new PduReader(socket.getInputStream(), 1 << 20);
                out.write(PduWriter.encode(new AAssociateRq(1, "ARCA", "STALLING", UID.DICOMApplicationContext,
                        List.of(new PresentationContextRq(1, slice.sopClassUid(), List.of(slice.transferSyntaxUid()))),
                        UserInformation.of(16384, "1.2.3", "TEST"))));
                assertThat(in.read()).isInstanceOf(AAssociateAc.class);

                byte[] command = new CStoreRequest(1, 0, slice.sopClassUid(), slice.sopInstanceUid(), null, -1)
                        .toCommandSet().encode();
                byte[] firstFragment = Arrays.copyOf(slice.dataset(), 8192);
                out.write(PduWriter.encode(new PDataTf(List.of(new Pdv(1, true, true, command)))));
                out.write(PduWriter.encode(new PDataTf(List.of(new Pdv(1, false, false, firstFragment)))));
                out.flush();
                long started = System.nanoTime();
                reply = in.read();
                stalledMs = (System.nanoTime() - started) / 1_000_000;
            }

            assertThat(reply).isInstanceOf(AAbort.class);
            assertThat(stalledMs).as("time until the abort").isGreaterThanOrEqualTo(900L);
            // The node sends the A-ABORT before it logs it.
            String log = arca.awaitLog("stopped sending in the middle of a message", Duration.ofSeconds(10));
            assertThat(log).contains("stopped sending in the middle of a message");
            assertThat(log).contains("idle timeout of 1000 ms");
            assertThat(arca.healthStatus()).isEqualTo(200);
            assertThat(Peers.echoscu(arca, "ECHOSCU", "ARCA").exitCode()).isZero();
        }
        assertThat(Peers.instances(Peers.listJson(data))).isEmpty();
    }

    @Test
    void garbagePduGetsAbortAndNodeStaysUp() throws Exception {
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("garbage"))) {
            byte[] reply;
            try (Socket socket = new Socket("127.0.0.1", arca.dicomPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(new byte[] {0x09, 0x00, 0x00, 0x00, 0x00, 0x04, 1, 2, 3, 4});
                out.flush();
                InputStream in = socket.getInputStream();
                reply = in.readNBytes(10);
            }
            assertThat(reply).as("A-ABORT PDU").hasSize(10);
            assertThat(reply[0]).as("PDU type").isEqualTo((byte) 0x07);
            assertThat(arca.healthStatus()).isEqualTo(200);
            assertThat(Peers.echoscu(arca, "ECHOSCU", "ARCA").exitCode()).isZero();
            assertThat(arca.log()).containsAnyOf("abort", "Abort", "ABORT");
        }
    }

    @Test
    void oversizedPduLengthGetsAbort() throws Exception {
        try (ArcaProcess arca = ArcaProcess.start(temp.resolve("oversized"))) {
            byte[] reply;
            try (Socket socket = new Socket("127.0.0.1", arca.dicomPort())) {
                // An A-ASSOCIATE-RQ header that announces a 2 GiB body.
                socket.getOutputStream().write(new byte[] {0x01, 0x00, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                socket.getOutputStream().flush();
                reply = socket.getInputStream().readNBytes(10);
            }
            assertThat(reply).as("A-ASSOCIATE-RJ or A-ABORT PDU").hasSize(10);
            assertThat(reply[0]).as("PDU type").isIn((byte) 0x03, (byte) 0x07);
            assertThat(arca.healthStatus()).isEqualTo(200);
        }
    }
}
