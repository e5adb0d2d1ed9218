package org.arca.server.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.arca.dicom.dimse.Status;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.commitment.CommitmentFailure;
import org.arca.store.commitment.CommitmentReference;
import org.arca.store.commitment.CommitmentResult;
import org.arca.store.commitment.PendingCommitment;
import org.arca.store.index.Index;
import org.arca.store.index.InstanceVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, instance by instance, whether Arca commits to keep what a Storage Commitment request
 * names. An instance is committed only if its current version has the requested SOP Class UID
 * and its blob, read again now, has the SHA-256 the index stores.
 *
 * <p>Thread-safe: it keeps no state between calls.
 */
// TODO: once replicas exist, also require a verified copy on every member the protection mode names.
final class StorageCommitmentChecker {

    private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentChecker.class);
    private static final int READ_BUFFER_BYTES = 256 * 1024;

    private final Index index;
    private final BlobStore blobs;

    StorageCommitmentChecker(Index index, BlobStore blobs) {
        this.index = index;
        this.blobs = blobs;
    }

    CommitmentResult check(PendingCommitment pending) {
        List<CommitmentReference> committed = new ArrayList<>();
        List<CommitmentFailure> failed = new ArrayList<>();
        for (CommitmentReference reference : pending.request().references()) {
            int failureReason = failureReason(pending, reference);
            if (failureReason == Status.SUCCESS) {
                committed.add(reference);
            } else {
                failed.add(new CommitmentFailure(reference.sopClassUid(), reference.sopInstanceUid(), failureReason));
            }
        }
        return CommitmentResult.of(pending, committed, failed);
    }

    /** Returns 0x0000 when the instance is committed, otherwise its Failure Reason (0008,1197). */
    int failureReason(PendingCommitment pending, CommitmentReference reference) {
        Optional<InstanceVersion> current = index.currentVersion(reference.sopInstanceUid());
        if (current.isEmpty()) {
            LOG.warn("Storage Commitment transaction {} from {}: SOP Instance {} is not stored.",
                    pending.request().transactionUid(), pending.request().requesterAeTitle(),
                    reference.sopInstanceUid());
            return Status.NO_SUCH_SOP_INSTANCE;
        }
        InstanceVersion version = current.get();
        if (!version.sopClassUid().equals(reference.sopClassUid())) {
            LOG.warn("Storage Commitment transaction {} from {}: SOP Instance {} is stored as SOP Class {}, not {}.",
                    pending.request().transactionUid(), pending.request().requesterAeTitle(),
                    reference.sopInstanceUid(), version.sopClassUid(), reference.sopClassUid());
            return Status.CLASS_INSTANCE_CONFLICT;
        }
        String problem = blobProblem(version);
        if (problem != null) {
            LOG.error("Storage Commitment transaction {} from {}: SOP Instance {} version {} fails verification: {}. "
                    + "Arca does not commit to it; restore the blob from a verified copy.",
                    pending.request().transactionUid(), pending.request().requesterAeTitle(),
                    reference.sopInstanceUid(), version.version(), problem);
            return Status.PROCESSING_FAILURE;
        }
        return Status.SUCCESS;
    }

    /** Reads the whole blob and returns why it does not match the index, or null when it does. */
    private String blobProblem(InstanceVersion version) {
        BlobId id = BlobId.of(version.blobSha256());
        String path = blobs.describe(id);
        MessageDigest sha256 = newSha256();
        long sizeBytes = 0;
        byte[] buffer = new byte[READ_BUFFER_BYTES];
        try (InputStream in = new DigestInputStream(blobs.newInputStream(id), sha256)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sizeBytes += n;
            }
        } catch (NoSuchFileException e) {
            return "blob " + path + " does not exist";
        } catch (IOException e) {
            return "reading blob " + path + " failed: " + e;
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(version.blobSha256())) {
            return "blob " + path + " has SHA-256 " + actual + " over " + sizeBytes + " bytes, but the index "
                    + "expects " + version.blobSha256();
        }
        return null;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks SHA-256, which every Java SE platform provides", e);
        }
    }
}
