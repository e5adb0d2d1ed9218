package org.arca.dicom.association;

import org.arca.dicom.Implementation;
import org.arca.dicom.uid.UID;
import java.util.List;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.pdu.RoleSelection;
import org.arca.dicom.pdu.UserIdentityRq;

/**
 * The proposal and timeouts of an {@link AssociationRequestor}. Build one with
 * {@link #builder}.
 *
 * @param maxPduLengthReceive the maximum P-DATA-TF length this side advertises, in bytes
 * @param connectTimeoutMs the TCP connect timeout, in milliseconds
 * @param artimTimeoutMs how long to wait for the A-ASSOCIATE-AC or RJ, and for the release or
 *     abort to complete, in milliseconds
 * @param responseTimeoutMs how long to wait for a DIMSE response, in milliseconds; 0 waits forever
 * @param userIdentity the user identity to send, or null
 */
public record RequestorConfig(String host, int port, String callingAeTitle, String calledAeTitle,
        List<PresentationContextRq> presentationContexts, int maxPduLengthReceive, long connectTimeoutMs,
        long artimTimeoutMs, long responseTimeoutMs, String implementationClassUid,
        String implementationVersionName, List<RoleSelection> roleSelections, UserIdentityRq userIdentity) {

    public RequestorConfig {
        presentationContexts = List.copyOf(presentationContexts);
        roleSelections = List.copyOf(roleSelections);
        if (presentationContexts.isEmpty() || presentationContexts.size() > 128) {
            throw new IllegalArgumentException("An A-ASSOCIATE-RQ needs 1 to 128 presentation contexts, got "
                    + presentationContexts.size());
        }
        if (maxPduLengthReceive < 1024) {
            throw new IllegalArgumentException("maxPduLengthReceive must be at least 1024 bytes, got "
                    + maxPduLengthReceive);
        }
    }

    public static Builder builder(String host, int port, String callingAeTitle, String calledAeTitle) {
        return new Builder(host, port, callingAeTitle, calledAeTitle);
    }

    /** Returns presentation contexts with odd IDs 1, 3, 5... for each abstract syntax and the same transfer syntaxes. */
    public static List<PresentationContextRq> contexts(List<String> abstractSyntaxes, List<String> transferSyntaxes) {
        List<PresentationContextRq> contexts = new java.util.ArrayList<>();
        for (int i = 0; i < abstractSyntaxes.size(); i++) {
            contexts.add(new PresentationContextRq(2 * i + 1, abstractSyntaxes.get(i), transferSyntaxes));
        }
        return contexts;
    }

    public static final class Builder {
        private final String host;
        private final int port;
        private final String callingAeTitle;
        private final String calledAeTitle;
        private List<PresentationContextRq> presentationContexts = List.of(
                new PresentationContextRq(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian)));
        private int maxPduLengthReceive = AcceptorConfig.DEFAULT_MAX_PDU_LENGTH;
        private long connectTimeoutMs = 10000;
        private long artimTimeoutMs = AcceptorConfig.DEFAULT_ARTIM_TIMEOUT_MS;
        private long responseTimeoutMs;
        private String implementationClassUid = Implementation.CLASS_UID;
        private String implementationVersionName = Implementation.VERSION_NAME;
        private List<RoleSelection> roleSelections = List.of();
        private UserIdentityRq userIdentity;

        private Builder(String host, int port, String callingAeTitle, String calledAeTitle) {
            this.host = host;
            this.port = port;
            this.callingAeTitle = callingAeTitle;
            this.calledAeTitle = calledAeTitle;
        }

        public Builder presentationContexts(List<PresentationContextRq> value) {
            presentationContexts = value;
            return this;
        }

        public Builder maxPduLengthReceive(int value) {
            maxPduLengthReceive = value;
            return this;
        }

        public Builder connectTimeoutMs(long value) {
            connectTimeoutMs = value;
            return this;
        }

        public Builder artimTimeoutMs(long value) {
            artimTimeoutMs = value;
            return this;
        }

        public Builder responseTimeoutMs(long value) {
            responseTimeoutMs = value;
            return this;
        }

        public Builder implementationClassUid(String value) {
            implementationClassUid = value;
            return this;
        }

        public Builder implementationVersionName(String value) {
            implementationVersionName = value;
            return this;
        }

        public Builder roleSelections(List<RoleSelection> value) {
            roleSelections = value;
            return this;
        }

        /**
         * Adds an SCP/SCU role selection item proposing both the SCU and the SCP role for each
         * SOP class, so the acceptor may send C-STORE sub-operations of a C-GET back on the
         * association. Each SOP class also needs a proposed presentation context.
         */
        public Builder proposeScpRole(java.util.Collection<String> sopClassUids) {
            List<RoleSelection> combined = new java.util.ArrayList<>(roleSelections);
            sopClassUids.forEach(uid -> combined.add(new RoleSelection(uid, true, true)));
            roleSelections = combined;
            return this;
        }

        public Builder userIdentity(UserIdentityRq value) {
            userIdentity = value;
            return this;
        }

        public RequestorConfig build() {
            return new RequestorConfig(host, port, callingAeTitle, calledAeTitle, presentationContexts,
                    maxPduLengthReceive, connectTimeoutMs, artimTimeoutMs, responseTimeoutMs, implementationClassUid,
                    implementationVersionName, roleSelections, userIdentity);
        }
    }
}
