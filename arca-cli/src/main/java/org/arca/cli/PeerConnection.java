package org.arca.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.AssociationRejectedException;
import org.arca.dicom.association.AssociationRequestor;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.UID;

/** Opens the association of an SCU command and turns its failures into operator messages. */
final class PeerConnection {

    /** The transfer syntaxes proposed for every presentation context: every SCP accepts one of them. */
    static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

    private PeerConnection() {
    }

    /** Returns a builder for the peer, with its timeouts and the given presentation contexts. */
    static RequestorConfig.Builder config(PeerOptions peer, List<PresentationContextRq> contexts) {
        long timeoutMs = peer.timeoutSeconds * 1000L;
        return RequestorConfig.builder(peer.host, peer.port, peer.callingAeTitle, peer.calledAeTitle)
                .presentationContexts(contexts)
                .connectTimeoutMs(timeoutMs)
                .artimTimeoutMs(timeoutMs == 0 ? 60_000 : timeoutMs)
                .responseTimeoutMs(timeoutMs);
    }

    /**
     * Connects and negotiates the association.
     *
     * @throws CliException naming the peer when the connection is refused or the association rejected
     */
    static Association open(PeerOptions peer, RequestorConfig config) throws CliException {
        try {
            return AssociationRequestor.connect(config);
        } catch (AssociationRejectedException e) {
            AAssociateRj rejection = e.rejection();
            throw new CliException("Association rejected by " + peer.describe() + ": " + rejection.reasonText()
                    + " (result " + rejection.result() + ", source " + rejection.source() + ", reason "
                    + rejection.reason() + "). Check --aet and --aec against the peer's configuration.", e);
        } catch (ConnectException e) {
            throw new CliException("Connection refused by " + peer.host + ":" + peer.port
                    + ". Check that the peer is running and listens on that port.", e);
        } catch (UnknownHostException e) {
            throw new CliException("Unknown host " + peer.host + ". Check the host name.", e);
        } catch (SocketTimeoutException e) {
            throw new CliException("Connecting to " + peer.host + ":" + peer.port + " timed out after "
                    + peer.timeoutSeconds + " s.", e);
        } catch (IOException e) {
            throw new CliException("Association with " + peer.describe() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the accepted context of the SOP class.
     *
     * @throws CliException when the peer rejected the presentation context
     */
    static PresentationContext acceptedContext(Association association, PeerOptions peer, String sopClassUid)
            throws CliException {
        PresentationContext context = association.acceptedContext(sopClassUid, null);
        if (context == null) {
            throw new CliException(peer.describe() + " accepted no presentation context for SOP class "
                    + sopClassUid + ". Check that the peer supports it, or try the other --model.");
        }
        return context;
    }

    /** Returns the error for a DIMSE operation that failed on the association, for example by timing out. */
    static CliException operationFailed(String operation, PeerOptions peer, IOException e) {
        return new CliException(operation + " with " + peer.describe() + " failed: " + e.getMessage(), e);
    }

    /** Releases the association; a failed release is not an error of the operation, which is complete. */
    static void release(Association association) {
        try {
            association.release();
        } catch (IOException e) {
            association.abort();
        }
    }
}
