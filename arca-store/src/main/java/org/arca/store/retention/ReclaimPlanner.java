package org.arca.store.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.arca.store.StorageException;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.index.Index;
import org.arca.store.retention.RetentionTables.ReferenceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which blobs nothing inside the CDP window needs. A blob is reclaimed only when all of
 * these are true:
 *
 * <ul>
 *   <li>every stored version in it belongs to a deleted SOP Instance, deleted by a record written
 *       before the window started;
 *   <li>no record inside the window names the blob or those instances;
 *   <li>no study of those versions is under legal hold;
 *   <li>the blob file exists.
 * </ul>
 *
 * A blob that any visible version uses, superseded versions included, is never reclaimed.
 */
final class ReclaimPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ReclaimPlanner.class);

    /** The decision for every blob of a deleted instance, with the count of each reason to keep one. */
    record Plan(List<ReclaimCandidate> candidates, int keptForWindow, int keptForLegalHold, int keptForVisibleVersion,
            int missing) {
    }

    private enum Decision {
        RECLAIM,
        KEEP_FOR_WINDOW,
        KEEP_FOR_LEGAL_HOLD,
        KEEP_FOR_VISIBLE_VERSION,
        MISSING
    }

    private ReclaimPlanner() {
    }

    /** Plans a run from one consistent read of the index, then reads the size of each blob to reclaim. */
    static Plan plan(Index index, BlobStore blobs, WindowActivity activity) throws StorageException {
        Plan planned = index.read("plan which blobs retention reclaims", reader -> plan(reader, blobs, activity));
        List<ReclaimCandidate> sized = new ArrayList<>();
        for (ReclaimCandidate candidate : planned.candidates()) {
            long sizeBytes = blobs.size(BlobId.of(candidate.blobSha256()));
            sized.add(new ReclaimCandidate(candidate.blobSha256(), sizeBytes, candidate.references()));
        }
        return new Plan(sized, planned.keptForWindow(), planned.keptForLegalHold(), planned.keptForVisibleVersion(),
                planned.missing());
    }

    private static Plan plan(Connection reader, BlobStore blobs, WindowActivity activity) throws SQLException {
        Set<String> held = RetentionTables.holds(reader).stream().map(LegalHold::studyInstanceUid)
                .collect(Collectors.toSet());
        List<ReclaimCandidate> candidates = new ArrayList<>();
        int[] kept = new int[Decision.values().length];
        for (String blobSha256 : RetentionTables.blobsOfDeletedInstances(reader, Long.MAX_VALUE)) {
            List<ReferenceState> states = RetentionTables.references(reader, blobSha256);
            List<BlobReference> references = states.stream().map(ReferenceState::reference).toList();
            Decision decision = decide(blobSha256, states, references, held, activity, blobs);
            kept[decision.ordinal()]++;
            if (decision == Decision.RECLAIM) {
                candidates.add(new ReclaimCandidate(blobSha256, 0, references));
            }
        }
        return new Plan(candidates, kept[Decision.KEEP_FOR_WINDOW.ordinal()],
                kept[Decision.KEEP_FOR_LEGAL_HOLD.ordinal()], kept[Decision.KEEP_FOR_VISIBLE_VERSION.ordinal()],
                kept[Decision.MISSING.ordinal()]);
    }

    private static Decision decide(String blobSha256, List<ReferenceState> states, List<BlobReference> references,
            Set<String> held, WindowActivity activity, BlobStore blobs) {
        for (ReferenceState state : states) {
            if (state.deletedSequence() == null) {
                return Decision.KEEP_FOR_VISIBLE_VERSION;
            }
        }
        for (BlobReference reference : references) {
            if (held.contains(reference.studyInstanceUid())) {
                return Decision.KEEP_FOR_LEGAL_HOLD;
            }
        }
        for (ReferenceState state : states) {
            if (state.deletedSequence() > activity.lastSequenceBeforeWindow()) {
                return Decision.KEEP_FOR_WINDOW;
            }
        }
        if (activity.touches(blobSha256, references)) {
            return Decision.KEEP_FOR_WINDOW;
        }
        if (!blobs.exists(BlobId.of(blobSha256))) {
            LOG.error("Blob {} of the deleted SOP Instance {} is missing from the blob store, so retention does not "
                    + "record it as reclaimed; repair it from a copy or report it as lost.", blobSha256,
                    references.get(0).sopInstanceUid());
            return Decision.MISSING;
        }
        return Decision.RECLAIM;
    }
}
