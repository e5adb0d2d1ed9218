package org.arca.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.dimse.CStoreRequest;
import org.arca.dicom.dimse.DimseException;
import org.arca.dicom.dimse.RetrieveResponse;
import org.arca.dicom.dimse.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca get}: a C-GET that receives the matches on the same association and writes them as files. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Send a C-GET and write each received instance as <SOP Instance UID>.dcm into --out.")
final class GetCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GetCommand.class);

    @Spec
    private CommandSpec spec;

    @Mixin
    private PeerOptions peer;

    @Mixin
    private QueryOptions query;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Directory to write the received Part 10 files into; created when missing.")
    private Path outDirectory;

    @Option(names = "--sop-class", paramLabel = "UID",
            description = "Storage SOP Class UID to accept sub-operations for (repeatable, at most "
                    + GetContexts.MAX_STORAGE_SOP_CLASSES + "). Default: common image, SR, PDF and RT classes.")
    private List<String> storageSopClasses = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Attributes identifier = query.identifier(spec);
        List<String> sopClasses = storageSopClasses.isEmpty() ? GetContexts.DEFAULT_STORAGE_SOP_CLASSES
                : storageSopClasses;
        if (sopClasses.size() > GetContexts.MAX_STORAGE_SOP_CLASSES) {
            throw new ParameterException(spec.commandLine(), "Too many --sop-class options: " + sopClasses.size()
                    + ", at most " + GetContexts.MAX_STORAGE_SOP_CLASSES + " fit in one association.");
        }
        Files.createDirectories(outDirectory);
        Part10Writer writer = new Part10Writer(outDirectory);

        RequestorConfig config = PeerConnection.config(peer, GetContexts.of(query.model.get, sopClasses))
                .proposeScpRole(sopClasses).build();
        Association association = PeerConnection.open(peer, config);
        AtomicInteger written = new AtomicInteger();
        RetrieveResponse response;
        try {
            PresentationContext context = PeerConnection.acceptedContext(association, peer, query.model.get);
            response = association.cget(query.model.get, 0, QueryKeys.encode(identifier, context.transferSyntax()),
                    context.transferSyntax(), (assoc, storeContext, request, dataset) -> {
                        store(writer, assoc, storeContext, request, dataset);
                        written.incrementAndGet();
                        return Status.SUCCESS;
                    });
        } catch (IOException e) {
            throw PeerConnection.operationFailed("C-GET", peer, e);
        } finally {
            PeerConnection.release(association);
        }
        spec.commandLine().getErr().printf("Wrote %d files into %s.%n", written.get(), outDirectory);
        return RetrieveOutcome.report(spec.commandLine().getErr(), "C-GET", peer, response);
    }

    private void store(Part10Writer writer, Association association, PresentationContext context,
            CStoreRequest request, InputStream dataset) throws DimseException {
        try {
            writer.writeAndFsync(request.affectedSopClassUid(), request.affectedSopInstanceUid(),
                    context.transferSyntax(), association.calledAeTitle(), dataset);
        } catch (IllegalArgumentException e) {
            LOG.error("Rejected C-STORE sub-operation from {}: {}", peer.describe(), e.getMessage());
            throw new DimseException(Status.CANNOT_UNDERSTAND, e.getMessage(), e);
        } catch (IOException e) {
            LOG.error("Writing SOP Instance {} into {} failed.", request.affectedSopInstanceUid(), outDirectory, e);
            throw new DimseException(Status.OUT_OF_RESOURCES, "Writing the file failed: " + e.getMessage(), e);
        }
    }
}
