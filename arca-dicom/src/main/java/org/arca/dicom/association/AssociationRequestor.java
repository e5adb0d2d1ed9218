package org.arca.dicom.association;

import org.arca.dicom.uid.UID;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.UserInformation;

/** Opens associations as the requestor (the SCU side). */
public final class AssociationRequestor {
    private AssociationRequestor() {
    }

    /** Connects with the defaults of {@link RequestorConfig.Builder} and the given contexts. */
    public static Association connect(String host, int port, String callingAeTitle, String calledAeTitle,
            List<PresentationContextRq> presentationContexts) throws IOException {
        return connect(RequestorConfig.builder(host, port, callingAeTitle, calledAeTitle)
                .presentationContexts(presentationContexts).build());
    }

    /**
     * Opens a TCP connection, sends the A-ASSOCIATE-RQ and waits for the A-ASSOCIATE-AC.
     *
     * @throws AssociationRejectedException if the acceptor sent an A-ASSOCIATE-RJ
     * @throws AssociationAbortedException if the acceptor aborted or sent no reply within the ARTIM timeout
     */
    public static Association connect(RequestorConfig config) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeoutMs());
            Association association = Association.forRequestor(socket, config);
            association.request(requestOf(config));
            association.startReading(config.responseTimeoutMs());
            return association;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static AAssociateRq requestOf(RequestorConfig config) {
        UserInformation info = new UserInformation(config.maxPduLengthReceive(), config.implementationClassUid(),
                config.implementationVersionName(), null, config.roleSelections(), List.of(), List.of(),
                config.userIdentity(), null);
        return new AAssociateRq(1, config.calledAeTitle(), config.callingAeTitle(), UID.DICOMApplicationContext,
                config.presentationContexts(), info);
    }
}
