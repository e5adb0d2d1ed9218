package org.arca.store.retention;

import java.util.List;

/**
 * A blob that retention reclaims, or would reclaim in a dry run.
 *
 * @param blobSha256 the SHA-256 of the blob
 * @param sizeBytes the size of the blob file
 * @param references every stored version in the blob; all their instances are deleted
 */
public record ReclaimCandidate(String blobSha256, long sizeBytes, List<BlobReference> references) {

    public ReclaimCandidate {
        references = List.copyOf(references);
    }

    /** Returns the Study Instance UIDs of the references, for logs and the CLI. */
    public List<String> studyInstanceUids() {
        return references.stream().map(BlobReference::studyInstanceUid).distinct().toList();
    }
}
