package org.arca.dicom.association;

import org.arca.dicom.Implementation;
import org.arca.dicom.uid.UID;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.arca.dicom.pdu.ExtendedNegotiation;
import org.arca.dicom.uid.StorageSopClasses;

/**
 * The acceptance policy and limits of a {@link DicomServer}. Build one with {@link #builder}.
 *
 * @param bindAddress the local address to listen on; null listens on all addresses
 * @param port the TCP port; 0 lets the system choose one
 * @param allowedCallingAeTitles the calling AE titles allowed to associate; empty allows any
 * @param checkCalledAeTitle true to reject requests whose called AE title is not {@code aeTitle}
 * @param acceptedTransferSyntaxes transfer syntaxes in preference order
 * @param acceptAnyTransferSyntax true to accept the first transfer syntax the requestor proposes,
 *     whatever it is; {@code acceptedTransferSyntaxes} is then not consulted
 * @param maxPduLengthReceive the maximum P-DATA-TF length advertised and enforced, in bytes
 * @param artimTimeoutMs the ARTIM timeout: how long a peer may take to send its A-ASSOCIATE-RQ,
 *     and to close the connection after a release or abort, in milliseconds
 * @param idleTimeoutMs how long an established association may stay silent before it is
 *     aborted, in milliseconds; 0 means no limit
 * @param maxAssociations the maximum number of concurrent associations
 * @param extendedNegotiation returns the SOP class extended negotiation reply to a proposal,
 *     or null to omit it from the A-ASSOCIATE-AC
 * @param scpRoleForSopClass true for the SOP classes for which a requestor that proposes the
 *     SCP role gets it (PS3.7 D.3.3.4), so that this acceptor may send it requests of that class,
 *     such as the C-STORE sub-operations of a C-GET
 */
public record AcceptorConfig(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
        boolean checkCalledAeTitle, Predicate<String> acceptedAbstractSyntax, List<String> acceptedTransferSyntaxes,
        boolean acceptAnyTransferSyntax, int maxPduLengthReceive, long artimTimeoutMs, long idleTimeoutMs,
        int maxAssociations, String implementationClassUid, String implementationVersionName,
        UserIdentityNegotiator userIdentityNegotiator,
        Function<ExtendedNegotiation, ExtendedNegotiation> extendedNegotiation,
        Predicate<String> scpRoleForSopClass) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 262144;
    public static final long DEFAULT_ARTIM_TIMEOUT_MS = 30000;

    public AcceptorConfig {
        allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
        acceptedTransferSyntaxes = List.copyOf(acceptedTransferSyntaxes);
        if (maxPduLengthReceive < 1024) {
            throw new IllegalArgumentException("maxPduLengthReceive must be at least 1024 bytes, got "
                    + maxPduLengthReceive);
        }
        if (maxAssociations < 1 || artimTimeoutMs < 1 || idleTimeoutMs < 0) {
            throw new IllegalArgumentException("maxAssociations and artimTimeoutMs must be positive and "
                    + "idleTimeoutMs not negative, got " + maxAssociations + ", " + artimTimeoutMs + ", "
                    + idleTimeoutMs);
        }
    }

    /** Creates a configuration that grants the SCP role for the Storage SOP classes only. */
    public AcceptorConfig(String aeTitle, String bindAddress, int port, Set<String> allowedCallingAeTitles,
            boolean checkCalledAeTitle, Predicate<String> acceptedAbstractSyntax,
            List<String> acceptedTransferSyntaxes, boolean acceptAnyTransferSyntax, int maxPduLengthReceive,
            long artimTimeoutMs, long idleTimeoutMs, int maxAssociations, String implementationClassUid,
            String implementationVersionName, UserIdentityNegotiator userIdentityNegotiator,
            Function<ExtendedNegotiation, ExtendedNegotiation> extendedNegotiation) {
        this(aeTitle, bindAddress, port, allowedCallingAeTitles, checkCalledAeTitle, acceptedAbstractSyntax,
                acceptedTransferSyntaxes, acceptAnyTransferSyntax, maxPduLengthReceive, artimTimeoutMs, idleTimeoutMs,
                maxAssociations, implementationClassUid, implementationVersionName, userIdentityNegotiator,
                extendedNegotiation, StorageSopClasses::isStorage);
    }

    public static Builder builder(String aeTitle) {
        return new Builder(aeTitle);
    }

    /** A builder with the defaults: any calling AE, called AE checked, Explicit then Implicit VR Little Endian. */
    public static final class Builder {
        private final String aeTitle;
        private String bindAddress;
        private int port;
        private Set<String> allowedCallingAeTitles = Set.of();
        private boolean checkCalledAeTitle = true;
        private Predicate<String> acceptedAbstractSyntax = UID.Verification::equals;
        private List<String> acceptedTransferSyntaxes = List.of(UID.ExplicitVRLittleEndian,
                UID.ImplicitVRLittleEndian);
        private boolean acceptAnyTransferSyntax;
        private int maxPduLengthReceive = DEFAULT_MAX_PDU_LENGTH;
        private long artimTimeoutMs = DEFAULT_ARTIM_TIMEOUT_MS;
        private long idleTimeoutMs;
        private int maxAssociations = 100;
        private String implementationClassUid = Implementation.CLASS_UID;
        private String implementationVersionName = Implementation.VERSION_NAME;
        private UserIdentityNegotiator userIdentityNegotiator = UserIdentityNegotiator.NONE;
        private Function<ExtendedNegotiation, ExtendedNegotiation> extendedNegotiation = proposal -> null;
        private Predicate<String> scpRoleForSopClass = StorageSopClasses::isStorage;

        private Builder(String aeTitle) {
            this.aeTitle = aeTitle;
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder allowedCallingAeTitles(Set<String> value) {
            allowedCallingAeTitles = value;
            return this;
        }

        public Builder checkCalledAeTitle(boolean value) {
            checkCalledAeTitle = value;
            return this;
        }

        public Builder acceptedAbstractSyntax(Predicate<String> value) {
            acceptedAbstractSyntax = value;
            return this;
        }

        public Builder acceptedTransferSyntaxes(List<String> value) {
            acceptedTransferSyntaxes = value;
            return this;
        }

        public Builder acceptAnyTransferSyntax(boolean value) {
            acceptAnyTransferSyntax = value;
            return this;
        }

        public Builder maxPduLengthReceive(int value) {
            maxPduLengthReceive = value;
            return this;
        }

        public Builder artimTimeoutMs(long value) {
            artimTimeoutMs = value;
            return this;
        }

        public Builder idleTimeoutMs(long value) {
            idleTimeoutMs = value;
            return this;
        }

        public Builder maxAssociations(int value) {
            maxAssociations = value;
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

        public Builder userIdentityNegotiator(UserIdentityNegotiator value) {
            userIdentityNegotiator = value;
            return this;
        }

        public Builder extendedNegotiation(Function<ExtendedNegotiation, ExtendedNegotiation> value) {
            extendedNegotiation = value;
            return this;
        }

        /** Sets the SOP classes for which a requestor gets the SCP role it proposes; default: Storage. */
        public Builder scpRoleForSopClass(Predicate<String> value) {
            scpRoleForSopClass = value;
            return this;
        }

        public AcceptorConfig build() {
            return new AcceptorConfig(aeTitle, bindAddress, port, allowedCallingAeTitles, checkCalledAeTitle,
                    acceptedAbstractSyntax, acceptedTransferSyntaxes, acceptAnyTransferSyntax, maxPduLengthReceive,
                    artimTimeoutMs, idleTimeoutMs, maxAssociations, implementationClassUid,
                    implementationVersionName, userIdentityNegotiator, extendedNegotiation, scpRoleForSopClass);
        }
    }
}
