package org.arca.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.DataElement;
import org.arca.dicom.data.ElementDictionary;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.dimse.CFindOperation;
import org.arca.dicom.dimse.DimseResponse;
import org.arca.dicom.dimse.Status;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code arca find}: a C-FIND that prints each match the peer returns. */
@Command(name = "find", mixinStandardHelpOptions = true,
        description = "Send a C-FIND to a DICOM peer and print each match as KEYWORD=VALUE lines (or JSON).")
final class FindCommand implements Callable<Integer> {

    /** The largest identifier accepted in a match; identifiers carry attributes, not pixel data. */
    private static final long MAX_IDENTIFIER_VALUE_LENGTH = 1L << 20;

    @Spec
    private CommandSpec spec;

    @Mixin
    private PeerOptions peer;

    @Mixin
    private QueryOptions query;

    @Option(names = "--json", description = "Print the matches as one JSON array of KEYWORD to value objects.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        Attributes identifier = query.identifier(spec);
        List<PresentationContextRq> contexts = List.of(
                new PresentationContextRq(1, query.model.find, PeerConnection.UNCOMPRESSED));
        Association association = PeerConnection.open(peer, PeerConnection.config(peer, contexts).build());
        List<Map<String, String>> matches = new ArrayList<>();
        DimseResponse response;
        try {
            PresentationContext context = PeerConnection.acceptedContext(association, peer, query.model.find);
            CFindOperation operation = association.cfind(query.model.find, 0,
                    QueryKeys.encode(identifier, context.transferSyntax()), context.transferSyntax());
            byte[] match;
            while ((match = operation.nextMatch()) != null) {
                matches.add(keywordValues(decode(match, context.transferSyntax())));
            }
            response = operation.finalResponse();
        } catch (IOException e) {
            throw PeerConnection.operationFailed("C-FIND", peer, e);
        } finally {
            PeerConnection.release(association);
        }

        print(matches);
        return finish(response, matches.size());
    }

    private void print(List<Map<String, String>> matches) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(matches));
        } else {
            for (int i = 0; i < matches.size(); i++) {
                out.printf("# Match %d%n", i + 1);
                matches.get(i).forEach((keyword, value) -> out.println(keyword + "=" + value));
                out.println();
            }
        }
        out.flush();
    }

    private int finish(DimseResponse response, int matchCount) {
        PrintWriter err = spec.commandLine().getErr();
        if (response.status() == Status.SUCCESS) {
            err.printf("C-FIND with %s: %d matches, status 0x0000 (Success).%n", peer.describe(), matchCount);
            err.flush();
            return 0;
        }
        err.printf("arca: C-FIND with %s ended with %s after %d matches.%n", peer.describe(), response, matchCount);
        err.flush();
        return ErrorHandler.EXIT_FAILURE;
    }

    private static Attributes decode(byte[] identifier, String transferSyntaxUid) throws IOException {
        DicomInputStream in = new DicomInputStream(new ByteArrayInputStream(identifier),
                TransferSyntax.of(transferSyntaxUid));
        return in.readDataset(ReadOptions.defaults().withMaxValueLength(MAX_IDENTIFIER_VALUE_LENGTH));
    }

    /** Returns each top-level element as keyword (or gggg,eeee) to its values joined by backslashes. */
    static Map<String, String> keywordValues(Attributes dataset) {
        Map<String, String> values = new LinkedHashMap<>();
        for (DataElement element : dataset) {
            String keyword = ElementDictionary.keywordOf(element.tag());
            String name = keyword != null ? keyword
                    : String.format("%04X,%04X", Tag.group(element.tag()), Tag.element(element.tag()));
            values.put(name, valueText(dataset, element));
        }
        return values;
    }

    private static String valueText(Attributes dataset, DataElement element) {
        if (element.value() instanceof Sequence sequence) {
            return "(sequence of " + sequence.size() + " items)";
        }
        String[] strings = dataset.getStrings(element.tag());
        return strings == null ? "" : String.join("\\", strings);
    }
}
