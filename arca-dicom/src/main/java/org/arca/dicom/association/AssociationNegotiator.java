package org.arca.dicom.association;

import org.arca.dicom.uid.UID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.arca.dicom.pdu.AAssociateAc;
import org.arca.dicom.pdu.AAssociateRj;
import org.arca.dicom.pdu.AAssociateRq;
import org.arca.dicom.pdu.ExtendedNegotiation;
import org.arca.dicom.pdu.PresentationContextAc;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.pdu.UserIdentityAc;
import org.arca.dicom.pdu.UserInformation;

/** Applies an {@link AcceptorConfig} to an A-ASSOCIATE-RQ: returns the AC or the RJ to send. */
final class AssociationNegotiator {
    private final AcceptorConfig config;

    AssociationNegotiator(AcceptorConfig config) {
        this.config = config;
    }

    /** Returns the A-ASSOCIATE-RJ for a request this acceptor must reject, or null to go on. */
    AAssociateRj rejection(AAssociateRq rq, boolean overLimit) {
        if (overLimit) {
            return new AAssociateRj(AAssociateRj.RESULT_TRANSIENT, AAssociateRj.SOURCE_SERVICE_PROVIDER_PRESENTATION,
                    AAssociateRj.PRESENTATION_LOCAL_LIMIT_EXCEEDED);
        }
        if (!UID.DICOMApplicationContext.equals(rq.applicationContextName())) {
            return userRejection(AAssociateRj.USER_APPLICATION_CONTEXT_NOT_SUPPORTED);
        }
        if (config.checkCalledAeTitle() && !config.aeTitle().equals(rq.calledAeTitle())) {
            return userRejection(AAssociateRj.USER_CALLED_AE_TITLE_NOT_RECOGNIZED);
        }
        if (!config.allowedCallingAeTitles().isEmpty()
                && !config.allowedCallingAeTitles().contains(rq.callingAeTitle())) {
            return userRejection(AAssociateRj.USER_CALLING_AE_TITLE_NOT_RECOGNIZED);
        }
        return null;
    }

    private static AAssociateRj userRejection(int reason) {
        return new AAssociateRj(AAssociateRj.RESULT_PERMANENT, AAssociateRj.SOURCE_SERVICE_USER, reason);
    }

    AAssociateAc accept(AAssociateRq rq) {
        List<PresentationContextAc> contexts = new ArrayList<>();
        for (PresentationContextRq proposed : rq.presentationContexts()) {
            contexts.add(negotiate(proposed));
        }
        UserInformation info = new UserInformation(config.maxPduLengthReceive(), config.implementationClassUid(),
                config.implementationVersionName(), null, negotiateRoles(rq, contexts), negotiateExtended(rq), List.of(),
                null, negotiateUserIdentity(rq));
        return new AAssociateAc(1, rq.calledAeTitle(), rq.callingAeTitle(), UID.DICOMApplicationContext, contexts, info);
    }

    // TODO: reject even or duplicate presentation context IDs; they are accepted as sent today.
    private PresentationContextAc negotiate(PresentationContextRq proposed) {
        String firstProposed = proposed.transferSyntaxes().get(0);
        if (!config.acceptedAbstractSyntax().test(proposed.abstractSyntax())) {
            return new PresentationContextAc(proposed.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                    firstProposed);
        }
        if (config.acceptAnyTransferSyntax()) {
            return new PresentationContextAc(proposed.id(), PresentationContextAc.ACCEPTANCE, firstProposed);
        }
        for (String preferred : config.acceptedTransferSyntaxes()) {
            if (proposed.transferSyntaxes().contains(preferred)) {
                return new PresentationContextAc(proposed.id(), PresentationContextAc.ACCEPTANCE, preferred);
            }
        }
        return new PresentationContextAc(proposed.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                firstProposed);
    }

    /**
     * Answers each SCP/SCU role selection item for a SOP class with an accepted context (PS3.7
     * D.3.3.4): the requestor keeps the SCU role it proposed, and gets the SCP role it proposed
     * only for the SOP classes {@link AcceptorConfig#scpRoleForSopClass()} allows.
     */
    private List<RoleSelection> negotiateRoles(AAssociateRq rq, List<PresentationContextAc> contexts) {
        Map<Integer, PresentationContextAc> byId = new TreeMap<>();
        contexts.forEach(context -> byId.put(context.id(), context));
        List<RoleSelection> replies = new ArrayList<>();
        for (RoleSelection proposed : rq.userInformation().roleSelections()) {
            boolean accepted = rq.presentationContexts().stream()
                    .anyMatch(context -> context.abstractSyntax().equals(proposed.sopClassUid())
                            && byId.get(context.id()).accepted());
            if (accepted) {
                boolean scpRole = proposed.scpRole() && config.scpRoleForSopClass().test(proposed.sopClassUid());
                replies.add(new RoleSelection(proposed.sopClassUid(), proposed.scuRole(), scpRole));
            }
        }
        return replies;
    }

    private List<ExtendedNegotiation> negotiateExtended(AAssociateRq rq) {
        List<ExtendedNegotiation> replies = new ArrayList<>();
        for (ExtendedNegotiation proposed : rq.userInformation().extendedNegotiations()) {
            ExtendedNegotiation reply = config.extendedNegotiation().apply(proposed);
            if (reply != null) {
                replies.add(reply);
            }
        }
        return replies;
    }

    private UserIdentityAc negotiateUserIdentity(AAssociateRq rq) {
        var identity = rq.userInformation().userIdentityRq();
        if (identity == null || !identity.positiveResponseRequested()) {
            return null;
        }
        return config.userIdentityNegotiator().negotiate(rq.callingAeTitle(), identity);
    }

}
