package org.arca.dicom.association;

import org.arca.dicom.uid.UID;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.Pdu;
import org.arca.dicom.pdu.PduReader;
import org.arca.dicom.pdu.PduWriter;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.UserInformation;

/** A test peer that writes raw PDU bytes to a server and reads what comes back. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final PduReader reader;

    RawPeer(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        // Bounds every read of a test, so a server that never replies fails the test instead of hanging it.
        socket.setSoTimeout(10000);
        reader = new PduReader(socket.getInputStream(), 1 << 20);
    }

    static AAssociateRq echoRq(String calling, String called) {
        return new AAssociateRq(1, called, calling, UID.DICOMApplicationContext,
                List.of(new PresentationContextRq(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian))),
                UserInformation.of(16384, "1.2.3", "TEST"));
    }

    void send(Pdu pdu) throws IOException {
        send(PduWriter.encode(pdu));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    Pdu read() throws Exception {
        return reader.read();
    }

    /** Returns true if the server closed the connection (end of stream or reset) after any pending bytes. */
    boolean closedByServer() throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
