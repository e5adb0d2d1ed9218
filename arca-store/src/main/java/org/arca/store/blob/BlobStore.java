package org.arca.store.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.arca.store.StorageException;
import org.arca.store.blob.staging.StagedBlobDamagedException;
import org.arca.store.blob.staging.StagedDamageListener;
import org.arca.store.blob.staging.StagingArea;
import org.arca.store.blob.staging.StagingFormatException;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.Fsync;
import org.arca.store.fs.StorageFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-addressed blob store. On disk:
 *
 * <pre>
 * root/tmp/blob-&lt;uuid&gt;.tmp   blobs being written (deleted when the store opens)
 * root/tmp/writeout-&lt;uuid&gt;.tmp  staged blobs being written to their own file (the same)
 * root/staging/pack-*.arcp   small blobs acknowledged and not yet in their own file ({@link StagingArea})
 * root/ab/cd/&lt;sha256&gt;         published blobs, named by the SHA-256 of their bytes in
 *                            lowercase hex, fanned out by its first two and next two digits
 * </pre>
 *
 * <p>Invariants: a published blob is never rewritten with different bytes and is read-only;
 * a blob path appears only after its bytes are fsynced, and its directory entry is fsynced before
 * {@link #publishAndFsync} returns; a failed write leaves no partial file under its name.
 *
 * <p>The system calls of one {@link #publishAndFsync} of a new blob, in order:
 * <ol>
 *   <li>{@code fchmod} to read-only and {@code fsync} of the temporary file ({@link TempBlob}),
 *       so the bytes and the size are durable before the file gets its name. A large blob also
 *       gets an {@code fdatasync} after every 8 MiB while it is written ({@link WriteBehind});
 *   <li>{@code stat} of the target name (deduplication);
 *   <li>only at the first publish into {@code ab/cd/} in this process: {@code mkdir} of
 *       {@code ab/} (unless it exists) and {@code fsync} of the root, then {@code mkdir} of
 *       {@code ab/cd/} (unless it exists) and {@code fsync} of {@code ab/}. A directory that was
 *       made durable once in this process is not checked again;
 *   <li>{@code rename} of {@code tmp/blob-<uuid>.tmp} to {@code ab/cd/<sha256>};
 *   <li>{@code fsync} of {@code ab/cd/}, which makes the new name durable.
 * </ol>
 * No directory is fsynced twice in one publish. {@code tmp/} is not fsynced after the rename:
 * if the old name survived a crash it would be a leftover temporary file, which {@link #open}
 * deletes. A duplicate (same SHA-256 and size) costs the file {@code fsync}, a {@code stat} and an
 * {@code fsync} of {@code ab/cd/}, because its first publisher may not have fsynced it yet.
 * Every IOException leaves this class as a {@link StorageException} classified by
 * {@link StorageFailures}. Every write, rename, delete and fsync goes through the store's
 * {@link FileLayer}.
 *
 * <p>A failed fsync is never retried as if the data were safe: after a failed fsync of a fan-out
 * directory, the kernel may have marked its entries clean without writing them, so a later fsync
 * of that directory can succeed without making an older name durable. The store therefore stops
 * deduplicating into that directory and publishes the next copy of any blob there by a new rename
 * followed by a new fsync, until one such publish succeeds. A fan-out directory whose parent fsync
 * failed is fsynced again before its next use, even though it exists.
 *
 * <p>Small blobs received through {@link #createPending()} take a faster path: they are appended
 * to a staging pack and forced there (group commit), which makes them durable, and background
 * threads write each one to its blob file by the sequence above. Readers look for the blob file
 * first and then in the staging area, so a staged blob is readable at once. {@link #pathOf} writes
 * a staged blob out before it returns, for callers that need the file itself.
 *
 * <p>Thread-safety: all public methods are safe for concurrent use. Two threads publishing the
 * same bytes at once both succeed and leave one blob.
 */
public final class BlobStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);

    private static final String TMP_DIRECTORY = "tmp";
    private static final int READ_BUFFER_SIZE = 256 * 1024;

    private static final String STAGING_DIRECTORY = "staging";
    /** Names temporary files of ingests; those of the staging write-out start with {@link #WRITE_OUT_TEMP_PREFIX}. */
    private static final String INGEST_TEMP_PREFIX = "blob-";
    private static final String WRITE_OUT_TEMP_PREFIX = "writeout-";

    private final FileLayer files;
    private final Path root;
    private final Path tmp;
    private StagingArea staging;
    private final WriteBehind writeBehind = new WriteBehind();

    /** Fan-out directories that exist and whose entries are durable; they are never deleted. */
    private final Set<Path> durableFanOutDirectories = ConcurrentHashMap.newKeySet();

    /** Fan-out directories whose last fsync failed. No publish into them deduplicates. */
    private final Set<Path> directoriesWithFailedFsync = ConcurrentHashMap.newKeySet();

    private BlobStore(FileLayer files, Path root) {
        this.files = files;
        this.root = root;
        this.tmp = root.resolve(TMP_DIRECTORY);
    }

    /**
     * Opens the store at {@code root}, creating {@code root} and {@code root/tmp} if needed, and
     * deletes the temporary files that a previous run left behind.
     */
    public static BlobStore open(Path root) throws StorageException {
        return open(root, FileLayer.nio());
    }

    /** {@link #open(Path)} with every file operation through {@code files}. */
    public static BlobStore open(Path root, FileLayer files) throws StorageException {
        return open(root, files, StagingArea.DEFAULT_PACK_SIZE_BYTES);
    }

    /**
     * {@link #open(Path, FileLayer)} with staging packs of {@code stagingPackBytes}; a blob that does
     * not fit into an empty pack is not staged.
     */
    public static BlobStore open(Path root, FileLayer files, long stagingPackBytes) throws StorageException {
        BlobStore store = new BlobStore(files, root.toAbsolutePath());
        try {
            Fsync.createDirectoriesAndFsync(files, store.tmp);
        } catch (IOException e) {
            throw StorageFailures.classify(e, store.tmp);
        }
        store.deleteLeftoverTempFiles();
        Path stagingDirectory = store.root.resolve(STAGING_DIRECTORY);
        try {
            store.staging = StagingArea.openAndWriteOut(files, stagingDirectory, store::writeFileAndFsync,
                    stagingPackBytes);
        } catch (StagingFormatException e) {
            throw new StorageException(StorageException.Kind.IO_ERROR, stagingDirectory, e.getMessage()
                    + ". The blob store does not open, so that no acknowledged instance in that file is lost. If the "
                    + "file is not an Arca staging pack, move it out of " + stagingDirectory + "; if a newer Arca wrote "
                    + "it, start that version once to write its blobs out.", e);
        } catch (IOException e) {
            throw StorageFailures.classify(e, stagingDirectory);
        }
        return store;
    }

    /**
     * Opens the store for reading only: nothing is created or deleted, so operator commands can
     * read the blobs of a running node. Writing through the returned store is not supported.
     */
    public static BlobStore openReadOnly(Path root) {
        BlobStore store = new BlobStore(FileLayer.nio(), root.toAbsolutePath());
        store.staging = StagingArea.openReadOnly(store.root.resolve(STAGING_DIRECTORY));
        return store;
    }

    public Path root() {
        return root;
    }

    /**
     * Starts a blob of unknown size: kept in memory while it is small enough to be staged, moved to a
     * temporary file when it grows beyond ({@link PendingBlob}).
     */
    public PendingBlob createPending() {
        return new PendingBlob(this);
    }

    /**
     * Makes a pending blob durable and returns its id. A blob still in memory is staged and forced
     * ({@link StagingArea#stageAndForce}) unless its blob file exists or it is staged already, both
     * checked by content; a spilled blob goes through {@link #publishAndFsync(TempBlob)}. The pending
     * blob is discarded or published in every case.
     */
    public BlobId publishAndFsync(PendingBlob pending) throws StorageException {
        Published published;
        if (pending.isSpilled()) {
            try {
                TempBlob spilled = pending.spilled();
                published = publishFinishedAndFsync(spilled, BlobId.ofDigest(spilled.finishAndFsync()));
            } finally {
                pending.published();
            }
        } else {
            try {
                published = publishSmallAndFsync(pending);
            } finally {
                pending.discard();
            }
        }
        pending.recordNewBytes(published.newBytes());
        return published.id();
    }

    /** A published blob, and whether its bytes were written (true) or an intact copy was there already. */
    private record Published(BlobId id, boolean newBytes) {
    }

    private Published publishSmallAndFsync(PendingBlob pending) throws StorageException {
        BlobId id = BlobId.ofDigest(pending.digest());
        byte[] bytes = pending.bytes();
        int length = pending.length();
        Path target = filePathOf(id);
        try {
            // An existing file is checked and, if damaged, replaced at once by the file path. The file is looked
            // for again after the staged copy, because the write-out may have moved that copy in between.
            if (!files.isRegularFile(target) && stagedCopyEquals(id, bytes, length)) {
                LOG.debug("Blob {} is staged already; discarded the duplicate.", id);
                return new Published(id, false);
            }
            if (files.isRegularFile(target) || !staging.accepts(length)) {
                TempBlob temp = tempWith(INGEST_TEMP_PREFIX, bytes, length);
                return publishFinishedAndFsync(temp, BlobId.ofDigest(temp.finishAndFsync()));
            }
            staging.stageAndForce(id, bytes, length);
            return new Published(id, true);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw StorageFailures.classify(e, target);
        }
    }

    private boolean stagedCopyEquals(BlobId id, byte[] bytes, int length) throws IOException {
        byte[] staged = staging.readIfStaged(id);
        return staged != null && java.util.Arrays.equals(staged, 0, staged.length, bytes, 0, length);
    }

    private TempBlob tempWith(String prefix, byte[] bytes, int length) throws IOException {
        TempBlob temp = createTemp(prefix);
        temp.outputStream().write(bytes, 0, length);
        return temp;
    }

    /**
     * Writes staged bytes to their blob file (the staging area's write-out). The file path
     * deduplicates against an existing verified file. Damaged bytes are not published, so that no
     * file appears under the SHA-256 that they have now.
     *
     * @throws StagedBlobDamagedException if the bytes no longer hash to {@code id}
     */
    private void writeFileAndFsync(BlobId id, byte[] bytes) throws IOException {
        TempBlob temp = tempWith(WRITE_OUT_TEMP_PREFIX, bytes, bytes.length);
        BlobId written = BlobId.ofDigest(temp.finishAndFsync());
        if (!written.equals(id)) {
            temp.discard();
            throw new StagedBlobDamagedException(id, written);
        }
        publishFinishedAndFsync(temp, id);
    }

    /** Creates an empty temporary blob in {@code root/tmp}. */
    public TempBlob createTemp() throws StorageException {
        return createTemp(INGEST_TEMP_PREFIX);
    }

    private TempBlob createTemp(String prefix) throws StorageException {
        Path path = tmp.resolve(prefix + UUID.randomUUID() + ".tmp");
        try {
            FileChannel channel = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new TempBlob(files, path, channel, newSha256(), writeBehind);
        } catch (IOException e) {
            LOG.error("Failed to create the temporary blob {}: {}", path, e.toString());
            deleteQuietly(path);
            throw StorageFailures.classify(e, path);
        }
    }

    /**
     * Publishes a temporary blob under its SHA-256 and makes it durable: fsyncs the file, renames it
     * to {@code root/ab/cd/<sha256>} and fsyncs {@code ab/cd/} (the full sequence is in the class
     * documentation). If a blob with the same SHA-256 exists already and rehashes to its name, the
     * temporary file is discarded (deduplication). An existing blob of another size or content is
     * damaged and is replaced by the new bytes, which match its name. On failure the temporary file
     * is deleted.
     *
     * @return the id of the published blob
     */
    public BlobId publishAndFsync(TempBlob temp) throws StorageException {
        return publishFinishedAndFsync(temp, BlobId.ofDigest(temp.finishAndFsync())).id();
    }

    /** Publishes a temporary blob that is finished and fsynced, and whose bytes hash to {@code id}. */
    private Published publishFinishedAndFsync(TempBlob temp, BlobId id) throws StorageException {
        Path target = filePathOf(id);

        Path directory = target.getParent();
        try {
            if (files.isRegularFile(target) && !directoriesWithFailedFsync.contains(directory)) {
                long existingSize = files.size(target);
                // A sender that gets success may purge its copy. So a duplicate is discarded only when the
                // stored copy rehashes to its name, and a damaged copy is replaced by the received bytes.
                VerifyResult existing = existingSize == temp.size() ? verify(id) : null;
                if (existing != null && existing.isOk()) {
                    // The publisher of the existing blob may not have fsynced its directory yet.
                    fsyncFanOutDirectory(directory);
                    temp.discard();
                    LOG.debug("Blob {} exists already; discarded the duplicate {}", id, temp.path());
                    return new Published(id, false);
                }
                LOG.warn("Blob {} was damaged ({}); replacing it with the received bytes, which match its name.", id,
                        existing == null ? existingSize + " bytes stored, " + temp.size() + " received"
                                : "its bytes hash to " + existing.actual());
            }

            createFanOutDirectoryAndFsync(directory);
            renameAndFsyncDirectory(temp, target);
            return new Published(id, true);
        } catch (IOException e) {
            temp.discard();
            throw StorageFailures.classify(e, target);
        }
    }

    /**
     * Renames the fsynced temporary file to its content address and fsyncs the fan-out directory. The
     * old name in {@code tmp/} is not fsynced away: a leftover is deleted when the store opens.
     */
    private void renameAndFsyncDirectory(TempBlob temp, Path target) throws IOException {
        try {
            files.rename(temp.path(), target);
        } catch (IOException e) {
            LOG.error("Failed to rename {} to {} atomically: {}", temp.path(), target, e.toString());
            throw e;
        }
        temp.markPublished();
        fsyncFanOutDirectory(target.getParent());
    }

    private void fsyncFanOutDirectory(Path directory) throws IOException {
        try {
            Fsync.fsyncDirectory(files, directory);
        } catch (IOException e) {
            directoriesWithFailedFsync.add(directory);
            LOG.error("The fsync of blob directory {} failed; until a later publish into it succeeds, "
                    + "every publish there renames its own copy instead of deduplicating.", directory);
            throw e;
        }
        directoriesWithFailedFsync.remove(directory);
    }

    /**
     * Creates {@code ab/} and {@code ab/cd/} if missing and fsyncs the parent of each, once per
     * process. Each parent is fsynced even if the directory existed, because a previous attempt may
     * have created it and then failed to fsync its parent.
     */
    private void createFanOutDirectoryAndFsync(Path directory) throws IOException {
        if (durableFanOutDirectories.contains(directory)) {
            return;
        }
        Path upper = directory.getParent();
        if (!durableFanOutDirectories.contains(upper)) {
            createDirectoryAndFsyncParent(upper);
            durableFanOutDirectories.add(upper);
        }
        createDirectoryAndFsyncParent(directory);
        durableFanOutDirectories.add(directory);
    }

    private void createDirectoryAndFsyncParent(Path directory) throws IOException {
        try {
            files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            if (!files.isDirectory(directory)) {
                throw e;
            }
        }
        Fsync.fsyncDirectory(files, directory.getParent());
    }

    /** Checks whether a blob with this id exists, in its file or staged. */
    public boolean exists(BlobId id) {
        return files.isRegularFile(filePathOf(id)) || staging.contains(id);
    }

    /**
     * Returns the blob file {@code root/ab/cd/<sha256>}, whether or not it exists. A writable store
     * first writes a staged blob out to that file, so that the caller can work on the file itself. A
     * read-only store does not, so its staged blobs have no file yet.
     */
    public Path pathOf(BlobId id) {
        try {
            staging.writeOutNow(id);
        } catch (IOException e) {
            LOG.error("Writing staged blob {} to its file failed; it stays staged and readable: {}", id, e.toString());
        }
        return filePathOf(id);
    }

    private Path filePathOf(BlobId id) {
        String hex = id.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    /** Names where a blob's bytes are, for messages: its file, or its staging pack while it is staged. */
    public String describe(BlobId id) {
        Path file = filePathOf(id);
        if (!files.isRegularFile(file)) {
            String staged = staging.describe(id);
            if (staged != null) {
                return staged;
            }
        }
        return file.toString();
    }

    /** Opens a blob for reading, from its file or its staging pack; the caller closes the stream. */
    public InputStream open(BlobId id) throws StorageException {
        Path path = filePathOf(id);
        try {
            return newInputStream(id);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }
    }

    /**
     * Opens a blob for reading like {@link #open}, but throws the plain IOException, a
     * {@link NoSuchFileException} when the blob is neither in its file nor staged.
     */
    public InputStream newInputStream(BlobId id) throws IOException {
        Path path = filePathOf(id);
        try {
            return files.newInputStream(path);
        } catch (NoSuchFileException e) {
            byte[] staged = staging.readIfStaged(id);
            if (staged != null) {
                return new java.io.ByteArrayInputStream(staged);
            }
            // Written out between the two looks: the file is there now, or the blob is missing.
            return files.newInputStream(path);
        }
    }

    /** Returns the size of a blob in bytes. */
    public long size(BlobId id) throws StorageException {
        Path path = filePathOf(id);
        try {
            return files.size(path);
        } catch (NoSuchFileException e) {
            long staged = staging.sizeOf(id);
            if (staged >= 0) {
                return staged;
            }
            throw StorageFailures.classify(e, path);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }
    }

    /** Returns the number of staged blobs that are not yet in their own file. */
    public int stagedCount() {
        return staging.waitingCount();
    }

    /** Returns the bytes of the staged blobs that are not yet in their own file. */
    public long stagedBytes() {
        return staging.waitingBytes();
    }

    /**
     * Sets the listener for staged blobs found damaged, and first hands it those that the open found in
     * the previous run's packs (see {@link StagingArea#onDamage}).
     */
    public void onStagedDamage(StagedDamageListener listener) {
        staging.onDamage(listener);
    }

    /**
     * Preallocates a staging pack now (zeros written and fsynced), for a node about to receive
     * instances, and keeps the next one ready in the background.
     */
    public void prepareStagingAndFsync() throws StorageException {
        try {
            staging.prepareNowAndFsync();
        } catch (IOException e) {
            throw StorageFailures.classify(e, root.resolve(STAGING_DIRECTORY));
        }
    }

    /** Writes every staged blob to its file now; for tools and tests that work on the files. */
    public void writeOutStagedAndFsync() throws StorageException {
        try {
            staging.writeOutAll();
        } catch (IOException e) {
            throw StorageFailures.classify(e, root.resolve(STAGING_DIRECTORY));
        }
    }

    /** Writes out the staged blobs (a failure leaves them for the next open) and stops the write-out thread. */
    @Override
    public void close() {
        staging.close();
        writeBehind.close();
    }

    /**
     * Lists the ids of all published blobs, lazily and in no particular order. The caller closes
     * the stream. A failure while iterating is thrown as an {@link java.io.UncheckedIOException}.
     */
    public Stream<BlobId> list() throws StorageException {
        try {
            Stream<BlobId> inFiles = Files.walk(root, 3)
                    .filter(this::isBlobPath)
                    .map(path -> BlobId.of(path.getFileName().toString()));
            Stream<BlobId> onlyStaged = staging.stagedIds().stream().filter(id -> !files.isRegularFile(filePathOf(id)));
            return Stream.concat(inFiles, onlyStaged);
        } catch (IOException e) {
            throw StorageFailures.classify(e, root);
        }
    }

    /** Rehashes a blob and compares the SHA-256 with its name. */
    public VerifyResult verify(BlobId id) throws StorageException {
        Path path = filePathOf(id);
        MessageDigest sha256 = newSha256();
        long sizeBytes = 0;

        try (InputStream in = newInputStream(id)) {
            byte[] buffer = new byte[READ_BUFFER_SIZE];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
                sizeBytes += n;
            }
        } catch (NoSuchFileException e) {
            return new VerifyResult(id, VerifyResult.Status.MISSING, null, -1);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }

        BlobId actual = BlobId.ofDigest(sha256.digest());
        VerifyResult.Status status = actual.equals(id) ? VerifyResult.Status.OK : VerifyResult.Status.CORRUPT;
        if (status == VerifyResult.Status.CORRUPT) {
            LOG.error("Blob {} is corrupt: its {} bytes hash to {}.", id, sizeBytes, actual);
        }
        return new VerifyResult(id, status, actual, sizeBytes);
    }

    private boolean isBlobPath(Path path) {
        Path relative = root.relativize(path);
        if (relative.getNameCount() != 3 || !Files.isRegularFile(path)) {
            return false;
        }
        String name = relative.getName(2).toString();
        return BlobId.isValid(name)
                && name.equals(name.toLowerCase(java.util.Locale.ROOT))
                && relative.getName(0).toString().equals(name.substring(0, 2))
                && relative.getName(1).toString().equals(name.substring(2, 4));
    }

    private void deleteLeftoverTempFiles() throws StorageException {
        int ingests = 0;
        int writeOuts = 0;
        try (DirectoryStream<Path> leftovers = files.list(tmp)) {
            for (Path leftover : leftovers) {
                files.delete(leftover);
                if (leftover.getFileName().toString().startsWith(WRITE_OUT_TEMP_PREFIX)) {
                    writeOuts++;
                } else {
                    ingests++;
                }
            }
            if (ingests + writeOuts > 0) {
                Fsync.fsyncDirectory(files, tmp);
            }
        } catch (IOException e) {
            throw StorageFailures.classify(e, tmp);
        }

        if (ingests > 0) {
            LOG.warn("Deleted the leftover temporary files of ingests from {} (count: {}); they were blobs being "
                    + "received when the previous run stopped and were never acknowledged.", tmp, ingests);
        }
        if (writeOuts > 0) {
            LOG.info("Deleted the leftover temporary files of the staging write-out from {} (count: {}); their blobs "
                    + "are still in their staging packs and are written out again now.", tmp, writeOuts);
        }
        if (ingests + writeOuts == 0) {
            LOG.info("Opened the blob store {}; no leftover temporary files.", root);
        }
    }

    private void deleteQuietly(Path path) {
        try {
            files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("Failed to delete {}; it will be deleted at the next start: {}", path, e.toString());
        }
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }
}
