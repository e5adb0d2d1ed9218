package org.arca.store.journal;

import java.util.List;

/**
 * The result of {@link Journal#verify()}: every problem found when rereading every record.
 *
 * @param segmentCount the number of segments read
 * @param recordCount the number of records whose CRC matched
 * @param lastSequence the last durable sequence when verification started
 * @param problems every CRC, length, sequence and chain problem, with segment and offset
 */
public record JournalVerification(int segmentCount, long recordCount, long lastSequence,
        List<JournalProblem> problems) {

    public JournalVerification {
        problems = List.copyOf(problems);
    }

    public boolean isOk() {
        return problems.isEmpty();
    }
}
