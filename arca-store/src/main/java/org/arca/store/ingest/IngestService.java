package org.arca.store.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.DicomParseException;
import org.arca.dicom.io.FileMetaInformation;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.StorageException;
import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.PendingBlob;
import org.arca.store.cdp.event.UndeletedEvent;
import org.arca.store.index.Index;
import org.arca.store.index.IndexEdit;
import org.arca.store.index.InstanceRecord;
import org.arca.store.index.InstanceState;
import org.arca.store.index.InstanceVersion;
import org.arca.store.index.VersionCheck;
import org.arca.store.journal.Journal;
import org.arca.store.repair.BlobRepaired;
import org.arca.store.repair.RepairJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest transaction: receive one SOP Instance, make it durable, record it.
 *
 * <ol>
 *   <li>Write the Part 10 file meta information, then copy the received dataset bytes
 *       unchanged into a temporary blob, hashing with SHA-256 and parsing the same bytes.
 *   <li>Reject a dataset that does not parse or whose UIDs are invalid; the temporary blob
 *       is deleted.
 *   <li>Publish the blob under its content address and fsync it.
 *   <li>Append the journal record and force it (group commit).
 *   <li>Apply the record to the index, then return: only now may the caller acknowledge.
 * </ol>
 *
 * <p>Thread-safe. Ingests of different SOP Instances run in parallel; ingests of the same
 * SOP Instance UID are serialized so that version numbers stay unique.
 */
public final class IngestService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** Values longer than this are streamed through without being kept; the index needs none of them. */
    private static final long BULK_DATA_THRESHOLD_BYTES = 64 * 1024;
    private static final int LOCK_STRIPES = 256;
    /** Bytes read ahead of the parser from the received dataset, in one block per read. */
    private static final int PARSE_BUFFER_BYTES = 64 * 1024;

    private final BlobStore blobs;
    private final Journal journal;
    private final Index index;
    private final IndexUpdater indexUpdater;
    private final RepairJournal repairs;
    private final Clock clock;
    private final ReentrantLock[] instanceLocks = new ReentrantLock[LOCK_STRIPES];

    public IngestService(BlobStore blobs, Journal journal, Index index, IndexUpdater indexUpdater,
            RepairJournal repairs, Clock clock) {
        this.blobs = blobs;
        this.journal = journal;
        this.index = index;
        this.indexUpdater = indexUpdater;
        this.repairs = repairs;
        this.clock = clock;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            instanceLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Ingests one SOP Instance from its dataset stream, which this method reads to its end.
     * Returns only after the blob and the journal record are durable.
     *
     * @throws IngestException if the instance was not stored; nothing of it is visible then
     */
    public IngestResult ingest(IngestRequest request, InputStream dataset) throws IngestException, InterruptedException {
        DatasetChecks.checkRequest(request);
        TransferSyntax transferSyntax = TransferSyntax.of(request.transferSyntaxUid());
        PendingBlob temp = blobs.createPending();
        boolean published = false;
        try {
            Attributes parsed = receiveIntoTemp(temp, request, transferSyntax, dataset);
            DatasetChecks.checkDataset(parsed, request);
            ReentrantLock lock = lockFor(request.sopInstanceUid());
            lock.lockInterruptibly();
            try {
                BlobId blobId = publishAndFsync(temp, request);
                published = true;
                FaultInjection.afterBlobPublish(request.sopInstanceUid());
                return recordVersion(request, parsed, blobId, temp.size(), temp.wroteNewBytes());
            } finally {
                lock.unlock();
            }
        } finally {
            if (!published) {
                temp.discard();
            }
        }
    }

    /** Streams the dataset into the temporary blob and returns its parsed small values. */
    private Attributes receiveIntoTemp(PendingBlob temp, IngestRequest request, TransferSyntax transferSyntax,
            InputStream dataset) throws IngestException {
        StorageWriteGuard sink = new StorageWriteGuard(temp.outputStream());
        TeeInputStream tee = new TeeInputStream(dataset, sink);
        // The parser reads element headers byte by byte, so a buffer above the tee turns those reads into
        // block copies and block SHA-256 updates. Every byte still reaches the blob once and in order,
        // because the rest of the dataset is drained through the same buffer below.
        InputStream buffered = new BufferedInputStream(tee, PARSE_BUFFER_BYTES);
        try {
            writeFileMetaInformation(sink, request);
            DicomInputStream reader = new DicomInputStream(buffered, transferSyntax);
            Attributes parsed = reader.readDataset(ReadOptions.defaults().withBulkDataThreshold(BULK_DATA_THRESHOLD_BYTES));
            long trailing = buffered.transferTo(OutputStream.nullOutputStream());
            if (trailing > 0) {
                LOG.debug("{} bytes followed the parsed dataset of SOP Instance {}; stored as received.",
                        trailing, request.sopInstanceUid());
            }
            sink.flush();
            return parsed;
        } catch (IOException e) {
            if (sink.failure() != null) {
                drainQuietly(dataset);
                throw storageFailure("Writing the received dataset", request, sink.failure());
            }
            if (e instanceof DicomParseException) {
                drainQuietly(dataset);
                throw new IngestException(IngestException.Reason.INVALID_DATASET,
                        "Dataset of SOP Instance " + request.sopInstanceUid() + " is malformed: " + e.getMessage(), e);
            }
            throw new IngestException(IngestException.Reason.INVALID_DATASET,
                    "Reading the dataset of SOP Instance " + request.sopInstanceUid() + " failed: " + e.getMessage(), e);
        }
    }

    private static void writeFileMetaInformation(StorageWriteGuard sink, IngestRequest request) throws IOException {
        new DicomOutputStream(sink).writeFileMetaInformation(FileMetaInformation.create(request.sopClassUid(),
                request.sopInstanceUid(), request.transferSyntaxUid(), request.sourceAeTitle()));
    }

    private BlobId publishAndFsync(PendingBlob temp, IngestRequest request) throws IngestException {
        try {
            return blobs.publishAndFsync(temp);
        } catch (IOException e) {
            throw storageFailure("Making the blob durable", request, e);
        }
    }

    /**
     * Decides between duplicate and new version, then journals and indexes the version.
     *
     * @param wroteNewBytes whether the publish wrote the bytes rather than finding an intact copy
     */
    private IngestResult recordVersion(IngestRequest request, Attributes parsed, BlobId blobId, long sizeBytes,
            boolean wroteNewBytes) throws IngestException, InterruptedException {
        indexUpdater.replayIfNeeded();
        String sopInstanceUid = request.sopInstanceUid();
        VersionCheck stored = index.versionCheck(sopInstanceUid, blobId.hex());
        Optional<InstanceVersion> sameBytes = stored.sameBytes();
        if (sameBytes.isPresent()) {
            if (wroteNewBytes) {
                // The index names these bytes, but the store had no intact copy of them: the sender's copy
                // repaired a blob that was missing, damaged or reclaimed.
                journalRepair(request, sameBytes.get(), blobId);
            }
            long undeletedSequence = undeleteIfDeleted(request, sameBytes.get());
            if (undeletedSequence < 0) {
                LOG.debug("SOP Instance {} from {} is identical to stored version {}; nothing new was written.",
                        sopInstanceUid, request.sourceAeTitle(), sameBytes.get().version());
            }
            return new IngestResult(blobId, sizeBytes, sameBytes.get().version(), undeletedSequence, true);
        }

        // A deleted instance keeps its version numbers, and a restore may have made an older version current:
        // a new version always follows the highest stored one.
        Optional<InstanceVersion> current = stored.currentIncludingDeleted();
        int version = stored.nextVersion();
        InstanceRecord record = IndexedAttributes.extract(parsed, request, request.transferSyntaxUid(), blobId,
                sizeBytes, version, clock.millis());
        String supersededSha256 = current.map(InstanceVersion::blobSha256).orElse(null);
        long sequence = appendAndForce(new InstanceStoredEvent(InstanceStoredEvent.FORMAT_VERSION, record,
                supersededSha256), request);

        if (current.isPresent()) {
            LOG.warn("SOP Instance {} from {} arrived with different bytes than stored version {} (SHA-256 {}); "
                    + "kept both and stored the new bytes as version {} (SHA-256 {}, journal record {}).",
                    sopInstanceUid, request.sourceAeTitle(), current.get().version(), supersededSha256, version,
                    blobId.hex(), sequence);
        }
        InstanceRecord journaled = record.withJournalSequence(sequence);
        indexUpdater.submitAndAwait(sequence, index -> index.applyInstanceStored(journaled));
        return new IngestResult(blobId, sizeBytes, version, sequence, false);
    }

    /**
     * Journals a BLOB_REPAIRED record for a blob that the sender's identical bytes restored and closes its
     * open damage findings in the index. The bytes are durable already and the journal named them before,
     * so a failed append is logged and does not fail the C-STORE.
     */
    private void journalRepair(IngestRequest request, InstanceVersion version, BlobId blobId)
            throws InterruptedException {
        BlobRepaired repaired = new BlobRepaired(BlobRepaired.FORMAT_VERSION, request.sopInstanceUid(),
                version.version(), blobId.hex(), "C-STORE from " + request.sourceAeTitle(), clock.millis());
        long sequence;
        try {
            sequence = repairs.appendRepairAndForce(repaired);
        } catch (InterruptedIOException e) {
            // The record is durable and replayed at the next start; the caller sees the interrupt as before.
            Thread.interrupted();
            InterruptedException interrupted = new InterruptedException(e.getMessage());
            interrupted.initCause(e);
            throw interrupted;
        } catch (IOException e) {
            LOG.error("SOP Instance {} version {}: {} restored its lost blob {}, but appending the BLOB_REPAIRED "
                    + "journal record failed: {}. Its damage findings stay open; 'arca verify' shows the blob intact.",
                    request.sopInstanceUid(), version.version(), request.sourceAeTitle(), blobId.hex(), e.toString());
            return;
        }
        LOG.warn("SOP Instance {} version {}: the blob store had no intact copy of its bytes (SHA-256 {}: missing, "
                + "damaged or reclaimed), and the identical copy from {} restored it (journal record {}).",
                request.sopInstanceUid(), version.version(), blobId.hex(), request.sourceAeTitle(), sequence);
    }

    /**
     * Makes a deleted instance visible again when a sender stores bytes that Arca already holds for it,
     * because a sender that stores an instance again expects it to be in the archive. The change is an
     * UNDELETED journal record, forced and applied before the sender gets its status.
     *
     * @return the sequence of the UNDELETED record, or -1 when the instance was not deleted
     */
    private long undeleteIfDeleted(IngestRequest request, InstanceVersion sameBytes)
            throws IngestException, InterruptedException {
        Optional<InstanceState> state = index.instanceState(request.sopInstanceUid());
        if (state.isEmpty() || !state.get().deleted()) {
            return -1;
        }
        String reason = "Stored again by " + request.sourceAeTitle() + " with the bytes of version "
                + sameBytes.version() + ".";
        UndeletedEvent event = new UndeletedEvent(UndeletedEvent.FORMAT_VERSION, "INSTANCE",
                request.sopInstanceUid(), state.get().studyInstanceUid(), request.sourceAeTitle(), reason,
                List.of(request.sopInstanceUid()));
        long sequence;
        try {
            sequence = journal.appendAndForce(JournalRecordTypes.UNDELETED, event.toJsonBytes());
        } catch (IOException e) {
            throw storageFailure("Appending the undelete journal record", request, e);
        }
        IndexEdit edit = event.toIndexEdit();
        indexUpdater.submitAndAwait(sequence, index -> index.applyEdit(sequence, edit));
        LOG.info("SOP Instance {} was deleted (journal record {}) and {} stored the same bytes again; the instance is"
                + " visible again (journal record {}).", request.sopInstanceUid(), state.get().deletedSequence(),
                request.sourceAeTitle(), sequence);
        return sequence;
    }

    private long appendAndForce(InstanceStoredEvent event, IngestRequest request) throws IngestException {
        try {
            return journal.appendAndForce(JournalRecordTypes.INSTANCE_STORED, event.toJsonBytes());
        } catch (IOException e) {
            throw storageFailure("Appending the journal record", request, e);
        }
    }

    private ReentrantLock lockFor(String sopInstanceUid) {
        return instanceLocks[Math.floorMod(sopInstanceUid.hashCode(), LOCK_STRIPES)];
    }

    private static IngestException storageFailure(String step, IngestRequest request, IOException e) {
        boolean noSpace = e instanceof StorageException se && se.kind() == StorageException.Kind.NO_SPACE;
        IngestException.Reason reason = noSpace ? IngestException.Reason.NO_SPACE : IngestException.Reason.IO_ERROR;
        return new IngestException(reason, step + " for SOP Instance " + request.sopInstanceUid() + " failed: "
                + e.getMessage(), e);
    }

    /** Reads what is left of the dataset, so that the association stays usable after a failure. */
    private static void drainQuietly(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            LOG.debug("Draining the rest of a rejected dataset failed: {}", e.toString());
        }
    }
}
