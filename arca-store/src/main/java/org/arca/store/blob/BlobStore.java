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
 *       so the bytes and the size are durable before the file gets its name;
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
 * <p>Thread-safety: all public methods are safe for concurrent use. Two threads publishing the
 * same bytes at once both succeed and leave one blob.
 */
public final class BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);

    private static final String TMP_DIRECTORY = "tmp";
    private static final int READ_BUFFER_SIZE = 256 * 1024;

    private final FileLayer files;
    private final Path root;
    private final Path tmp;

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
        BlobStore store = new BlobStore(files, root.toAbsolutePath());
        try {
            Fsync.createDirectoriesAndFsync(files, store.tmp);
        } catch (IOException e) {
            throw StorageFailures.classify(e, store.tmp);
        }
        store.deleteLeftoverTempFiles();
        return store;
    }

    /**
     * Opens the store for reading only: nothing is created or deleted, so operator commands can
     * read the blobs of a running node. Writing through the returned store is not supported.
     */
    public static BlobStore openReadOnly(Path root) {
        return new BlobStore(FileLayer.nio(), root.toAbsolutePath());
    }

    public Path root() {
        return root;
    }

    /** Creates an empty temporary blob in {@code root/tmp}. */
    public TempBlob createTemp() throws StorageException {
        Path path = tmp.resolve("blob-" + UUID.randomUUID() + ".tmp");
        try {
            FileChannel channel = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new TempBlob(files, path, channel, newSha256());
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
        BlobId id = BlobId.ofDigest(temp.finishAndFsync());
        Path target = pathOf(id);

        Path directory = target.getParent();
        try {
            if (files.isRegularFile(target) && !directoriesWithFailedFsync.contains(directory)) {
                long existingSize = files.size(target);
                // A sender that gets success may purge its copy. So a duplicate is discarded only when the
                // stored copy rehashes to its name, and a damaged copy is replaced by the received bytes.
                if (existingSize == temp.size() && verify(id).isOk()) {
                    // The publisher of the existing blob may not have fsynced its directory yet.
                    fsyncFanOutDirectory(directory);
                    temp.discard();
                    LOG.debug("Blob {} exists already; discarded the duplicate {}", id, temp.path());
                    return id;
                }
                LOG.error("Blob {} exists but is damaged ({} bytes stored, {} received, or a different SHA-256): "
                        + "replacing the stored copy with the received bytes.", id, existingSize, temp.size());
            }

            createFanOutDirectoryAndFsync(directory);
            renameAndFsyncDirectory(temp, target);
            return id;
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

    /** Checks whether a blob with this id exists. */
    public boolean exists(BlobId id) {
        return files.isRegularFile(pathOf(id));
    }

    /** Returns {@code root/ab/cd/<sha256>}, whether or not the blob exists. */
    public Path pathOf(BlobId id) {
        String hex = id.hex();
        return root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    /** Opens a blob for reading; the caller closes the stream. */
    public InputStream open(BlobId id) throws StorageException {
        Path path = pathOf(id);
        try {
            return files.newInputStream(path);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }
    }

    /** Returns the size of a blob in bytes. */
    public long size(BlobId id) throws StorageException {
        Path path = pathOf(id);
        try {
            return files.size(path);
        } catch (IOException e) {
            throw StorageFailures.classify(e, path);
        }
    }

    /**
     * Lists the ids of all published blobs, lazily and in no particular order. The caller closes
     * the stream. A failure while iterating is thrown as an {@link java.io.UncheckedIOException}.
     */
    public Stream<BlobId> list() throws StorageException {
        try {
            return Files.walk(root, 3)
                    .filter(this::isBlobPath)
                    .map(path -> BlobId.of(path.getFileName().toString()));
        } catch (IOException e) {
            throw StorageFailures.classify(e, root);
        }
    }

    /** Rehashes a blob and compares the SHA-256 with its name. */
    public VerifyResult verify(BlobId id) throws StorageException {
        Path path = pathOf(id);
        MessageDigest sha256 = newSha256();
        long sizeBytes = 0;

        try (InputStream in = files.newInputStream(path)) {
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
        int deleted = 0;
        try (DirectoryStream<Path> leftovers = files.list(tmp)) {
            for (Path leftover : leftovers) {
                files.delete(leftover);
                deleted++;
            }
            if (deleted > 0) {
                Fsync.fsyncDirectory(files, tmp);
            }
        } catch (IOException e) {
            throw StorageFailures.classify(e, tmp);
        }

        if (deleted > 0) {
            LOG.warn("Deleted {} leftover temporary files from {}; they were blobs being written when "
                    + "the previous run stopped and were never acknowledged.", deleted, tmp);
        } else {
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

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }
}
