package org.arca.store.retention;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.cdp.ChangeException;
import org.arca.store.index.Index;

/**
 * Rejects an undelete or restore that would show SOP Instances whose bytes retention reclaimed:
 * such instances would be found by a query but fail every retrieve. Callers run it under the
 * same lock as their change, which retention also holds while it reclaims.
 */
public final class ReclaimedBytesCheck {

    /** UIDs per query, far below SQLite's default limit of 32,766 parameters per statement (since 3.32). */
    private static final int UIDS_PER_QUERY = 500;

    private ReclaimedBytesCheck() {
    }

    /**
     * Throws when a version of any of the instances is in a blob that retention reclaimed and that
     * is missing from the blob store (a sender may have stored the bytes again since).
     *
     * @param blobsDirectory the blob store's directory, {@code <data>/blobs}
     * @param change the change being checked, such as "Restoring Study 1.2.3 to 2026-11-02T10:00:00Z"
     * @throws ChangeException CONFLICT naming the first instances and blobs concerned
     */
    public static void requireBytesPresent(Index index, Path blobsDirectory, List<String> sopInstanceUids,
            String change) throws ChangeException {
        BlobStore blobs = BlobStore.openReadOnly(blobsDirectory);
        List<ReclaimedBlob> reclaimed = new ArrayList<>();
        for (int from = 0; from < sopInstanceUids.size(); from += UIDS_PER_QUERY) {
            List<String> chunk = sopInstanceUids.subList(from, Math.min(sopInstanceUids.size(), from + UIDS_PER_QUERY));
            List<ReclaimedBlob> rows = index.read("find reclaimed blobs of " + chunk.size() + " SOP Instances",
                    reader -> RetentionTables.reclaimedOfInstances(reader, chunk));
            rows.stream().filter(row -> !blobs.exists(BlobId.of(row.blobSha256()))).forEach(reclaimed::add);
        }
        if (reclaimed.isEmpty()) {
            return;
        }
        ReclaimedBlob first = reclaimed.get(0);
        throw new ChangeException(ChangeException.Reason.CONFLICT, change + " is not possible: it would show SOP "
                + "Instances whose bytes retention reclaimed after the CDP window (" + reclaimed.size()
                + " blobs, the first " + first.blobSha256() + " by journal record " + first.journalSequence()
                + "). Choose a later point in time, or restore those instances from a backup.");
    }
}
