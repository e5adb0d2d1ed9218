package org.arca.server.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntSupplier;
import org.arca.store.DataDirectory;
import org.arca.store.index.IndexCounts;
import org.arca.store.repair.BlobDamageTable;

/**
 * {@code GET /status}: what an operator checks first on a running node.
 *
 * @param dataDirectory the absolute path of the data directory
 * @param aeTitle the AE title of the DICOM listener
 * @param dicomPort the TCP port of the DICOM listener
 * @param httpPort the TCP port of the HTTP listener, 0 in the moment before it listens
 * @param started when the node started, as an ISO-8601 instant
 * @param uptimeSeconds seconds since then
 * @param acceptingWrites false while the node stops
 * @param journalLastSequence the sequence of the last journal record
 * @param indexLastAppliedSequence the last journal sequence applied to the index; lower than
 *     {@code journalLastSequence} while the index lags
 * @param counts rows at each level of the index
 * @param stagedBlobs small blobs acknowledged from a staging pack and not yet written to their own file
 * @param stagedBytes their size in bytes
 * @param lastReconcile the summary of the last reconciliation of index, blobs and journal, or null
 *     when no run has written a report
 * @param blobDamageFindings the BLOB_DAMAGE_DETECTED records in the index (found by retrieves,
 *     reconciliations and the staging area), repaired ones included
 * @param openBlobDamageFindings those that no BLOB_REPAIRED record has closed: each needs a copy from
 *     elsewhere
 * @param latestBlobDamage the most recent open finding, or null when there is none
 */
public record NodeStatus(String dataDirectory, String aeTitle, int dicomPort, int httpPort, String started,
        long uptimeSeconds,
        boolean acceptingWrites, long journalLastSequence, long indexLastAppliedSequence, IndexCounts counts,
        long stagedBlobs, long stagedBytes, ReconcileSummary lastReconcile, long blobDamageFindings,
        long openBlobDamageFindings, BlobDamageTable.Finding latestBlobDamage) {

    /**
     * The facts of a running node that the data directory does not contain.
     *
     * @param httpPort the port of the HTTP listener, which starts after the admin API: 0 until then
     */
    public record NodeFacts(String aeTitle, int dicomPort, IntSupplier httpPort, Instant started) {
    }

    static NodeStatus of(DataDirectory data, NodeFacts facts, boolean acceptingWrites, Instant now) {
        return new NodeStatus(data.root().toAbsolutePath().toString(), facts.aeTitle(), facts.dicomPort(),
                facts.httpPort().getAsInt(), facts.started().truncatedTo(ChronoUnit.MILLIS).toString(), Duration.between(facts.started(), now).toSeconds(), acceptingWrites,
                data.journal().lastSequence(), data.index().lastAppliedJournalSequence(), data.index().counts(),
                data.blobs().stagedCount(), data.blobs().stagedBytes(), ReconcileSummary.readOrNull(data.root()),
                BlobDamageTable.count(data.index()), BlobDamageTable.countOpen(data.index()),
                BlobDamageTable.latestOpen(data.index()).orElse(null));
    }
}
