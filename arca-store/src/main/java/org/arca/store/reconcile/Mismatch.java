package org.arca.store.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One disagreement found by a reconciliation, with the ids an operator needs to act on it.
 *
 * @param kind what disagrees
 * @param journalSequence the journal record or index row involved, 0 when none
 * @param sopInstanceUid the SOP Instance involved, null when unknown (an orphaned blob)
 * @param version the instance version involved, 0 when unknown
 * @param blobSha256 the blob involved, null when none
 * @param detail one sentence on what differs
 * @param repair what the repair did or what it needs, null before a repair ran
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mismatch(MismatchKind kind, long journalSequence, String sopInstanceUid, int version,
        String blobSha256, String detail, String repair) {

    public static Mismatch of(MismatchKind kind, long journalSequence, String sopInstanceUid, int version,
            String blobSha256, String detail) {
        return new Mismatch(kind, journalSequence, sopInstanceUid, version, blobSha256, detail, null);
    }

    /** Returns this mismatch with the outcome of its repair. */
    public Mismatch withRepair(String outcome) {
        return new Mismatch(kind, journalSequence, sopInstanceUid, version, blobSha256, detail, outcome);
    }

    /** Returns the ids and the detail in one line, for logs and the command's output. */
    public String describe() {
        StringBuilder line = new StringBuilder();
        if (journalSequence > 0) {
            line.append("journal record ").append(journalSequence).append(", ");
        }
        if (sopInstanceUid != null) {
            line.append("SOP Instance ").append(sopInstanceUid).append(" version ").append(version).append(", ");
        }
        if (blobSha256 != null) {
            line.append("blob ").append(blobSha256).append(", ");
        }
        line.setLength(Math.max(0, line.length() - 2));
        line.append(line.length() == 0 ? "" : ": ").append(detail);
        if (repair != null) {
            line.append(" Repair: ").append(repair);
        }
        return line.toString();
    }
}
