package org.arca.dicom.pdu;

/**
 * The SCP/SCU role selection sub-item (PS3.7 section D.3.3.4).
 *
 * @param scuRole in a request, true if the requestor proposes to act as SCU; in an accept,
 *     true if the acceptor lets the requestor act as SCU
 * @param scpRole the same for the SCP role of the requestor
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) {
}
