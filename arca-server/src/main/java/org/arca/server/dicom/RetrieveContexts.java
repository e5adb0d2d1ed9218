package org.arca.server.dicom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.arca.dicom.association.RequestorConfig;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.server.config.ArcaConfig;
import org.arca.store.index.InstanceVersion;

/** The association proposal for the C-STORE sub-operations of a C-MOVE. */
final class RetrieveContexts {

    /** PS3.8 allows at most 128 presentation contexts (odd IDs 1 to 255) in one A-ASSOCIATE-RQ. */
    static final int MAX_PRESENTATION_CONTEXTS = 128;

    private RetrieveContexts() {
    }

    /**
     * Returns one presentation context per (SOP class, stored transfer syntax) pair of the instances,
     * each proposing only that transfer syntax, because Arca sends the stored bytes and never transcodes.
     */
    static List<PresentationContextRq> of(List<InstanceVersion> instances) {
        Set<List<String>> pairs = new LinkedHashSet<>();
        for (InstanceVersion instance : instances) {
            pairs.add(List.of(instance.sopClassUid(), instance.transferSyntaxUid()));
        }
        List<PresentationContextRq> contexts = new ArrayList<>();
        for (List<String> pair : pairs) {
            if (contexts.size() == MAX_PRESENTATION_CONTEXTS) {
                // TODO: open a second association for the pairs beyond 128; their instances fail for now.
                break;
            }
            contexts.add(new PresentationContextRq(2 * contexts.size() + 1, pair.get(0), List.of(pair.get(1))));
        }
        return contexts;
    }

    static RequestorConfig requestorConfig(String callingAeTitle, ArcaConfig.MoveDestination destination,
            List<InstanceVersion> instances) {
        return RequestorConfig.builder(destination.host(), destination.port(), callingAeTitle, destination.aeTitle())
                .presentationContexts(of(instances))
                .build();
    }
}
