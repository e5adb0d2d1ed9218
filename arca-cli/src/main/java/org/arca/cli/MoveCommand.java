package org.arca.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.dimse.RetrieveResponse;
import org.arca.dicom.pdu.PresentationContextRq;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca move}: a C-MOVE asking the peer to send the matches to a Move Destination AE. */
@Command(name = "move", mixinStandardHelpOptions = true,
        description = "Send a C-MOVE: the peer stores the matching instances at the AE given by --dest.")
final class MoveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private PeerOptions peer;

    @Mixin
    private QueryOptions query;

    @Option(names = "--dest", paramLabel = "AE", required = true,
            description = "Move Destination (0000,0600): the AE title the peer sends to. "
                    + "The peer must know its address.")
    private String moveDestination;

    @Override
    public Integer call() throws Exception {
        Attributes identifier = query.identifier(spec);
        List<PresentationContextRq> contexts = List.of(
                new PresentationContextRq(1, query.model.move, PeerConnection.UNCOMPRESSED));
        Association association = PeerConnection.open(peer, PeerConnection.config(peer, contexts).build());
        RetrieveResponse response;
        try {
            PresentationContext context = PeerConnection.acceptedContext(association, peer, query.model.move);
            response = association.cmove(query.model.move, 0, moveDestination,
                    QueryKeys.encode(identifier, context.transferSyntax()), context.transferSyntax());
        } catch (IOException e) {
            throw PeerConnection.operationFailed("C-MOVE", peer, e);
        } finally {
            PeerConnection.release(association);
        }
        return RetrieveOutcome.report(spec.commandLine().getErr(), "C-MOVE to " + moveDestination, peer, response);
    }
}
