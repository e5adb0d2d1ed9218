package org.arca.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.arca.dicom.association.Association;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.UID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca echo}: a C-ECHO (Verification SOP Class) to check that a peer responds. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Send a C-ECHO to a DICOM peer; exits 0 if the peer returns Success.")
final class EchoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private PeerOptions peer;

    @Override
    public Integer call() throws Exception {
        List<PresentationContextRq> contexts = List.of(
                new PresentationContextRq(1, UID.Verification, PeerConnection.UNCOMPRESSED));
        Association association = PeerConnection.open(peer, PeerConnection.config(peer, contexts).build());
        int status;
        try {
            status = association.cecho();
        } catch (IOException e) {
            throw PeerConnection.operationFailed("C-ECHO", peer, e);
        } finally {
            PeerConnection.release(association);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.printf("C-ECHO to %s: status 0x%04X%s%n", peer.describe(), status,
                status == Status.SUCCESS ? " (Success)" : "");
        out.flush();
        return status == Status.SUCCESS ? 0 : ErrorHandler.EXIT_FAILURE;
    }
}
