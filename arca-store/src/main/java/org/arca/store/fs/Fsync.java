package org.arca.store.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability recipe of Arca in one place: fsync a file, fsync a directory, publish a file by
 * atomic rename, and create directories durably. A rename or a new directory entry is durable
 * only after the directory that contains it has been fsynced, so each method here that changes a
 * directory also fsyncs it before it returns.
 *
 * <p>Every operation goes through a {@link FileLayer}, and the overloads without one use
 * {@link FileLayer#nio()}. Failures are logged and rethrown unchanged; callers classify them with
 * {@link StorageFailures#classify}. Thread-safety: stateless, safe for concurrent use.
 */
public final class Fsync {

    private static final Logger LOG = LoggerFactory.getLogger(Fsync.class);

    private Fsync() {
    }

    /** Forces the content and metadata of the regular file {@code file} to the storage device. */
    public static void fsyncFile(Path file) throws IOException {
        fsyncFile(FileLayer.nio(), file);
    }

    /** Forces the content and metadata of the regular file {@code file} through {@code files}. */
    public static void fsyncFile(FileLayer files, Path file) throws IOException {
        try (FileChannel channel = files.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.error("Failed to fsync the file {}: {}", file, e.toString());
            throw e;
        }
    }

    /**
     * Forces the entries of {@code directory} (created, renamed and deleted names) to the storage
     * device. Linux allows fsync on a directory opened read-only.
     */
    public static void fsyncDirectory(Path directory) throws IOException {
        fsyncDirectory(FileLayer.nio(), directory);
    }

    /** Forces the entries of {@code directory} to the storage device through {@code files}. */
    public static void fsyncDirectory(FileLayer files, Path directory) throws IOException {
        try {
            files.fsyncDirectory(directory);
        } catch (IOException e) {
            LOG.error("Failed to fsync the directory {}: {}", directory, e.toString());
            throw e;
        }
    }

    /**
     * Renames {@code source} to {@code target} atomically (replacing {@code target} if it exists),
     * then fsyncs the parent directory of the target and, if it differs, that of the source. The
     * first failure is thrown, with later ones attached as suppressed exceptions.
     */
    public static void moveAtomicallyAndFsync(Path source, Path target) throws IOException {
        moveAtomicallyAndFsync(FileLayer.nio(), source, target);
    }

    /** {@link #moveAtomicallyAndFsync(Path, Path)} through {@code files}. */
    public static void moveAtomicallyAndFsync(FileLayer files, Path source, Path target) throws IOException {
        try {
            files.rename(source, target);
        } catch (IOException e) {
            LOG.error("Failed to rename {} to {} atomically: {}", source, target, e.toString());
            throw e;
        }

        Path targetParent = parentOf(target);
        Path sourceParent = parentOf(source);
        IOException first = null;
        try {
            fsyncDirectory(files, targetParent);
        } catch (IOException e) {
            first = e;
        }
        if (!sourceParent.equals(targetParent)) {
            try {
                fsyncDirectory(files, sourceParent);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Renames {@code source} to {@code target} atomically (replacing {@code target} if it exists),
     * then fsyncs the parent directory of the target only. Use it when the source name may survive
     * a crash harmlessly (a temporary file that is deleted at the next start): the new name is
     * durable when this returns, but the removal of the old name may not be.
     */
    public static void moveAtomicallyAndFsyncTargetDirectory(Path source, Path target) throws IOException {
        moveAtomicallyAndFsyncTargetDirectory(FileLayer.nio(), source, target);
    }

    /** {@link #moveAtomicallyAndFsyncTargetDirectory(Path, Path)} through {@code files}. */
    public static void moveAtomicallyAndFsyncTargetDirectory(FileLayer files, Path source, Path target)
            throws IOException {
        try {
            files.rename(source, target);
        } catch (IOException e) {
            LOG.error("Failed to rename {} to {} atomically: {}", source, target, e.toString());
            throw e;
        }
        fsyncDirectory(files, parentOf(target));
    }

    /**
     * Creates {@code directory} and every missing ancestor, fsyncing the parent of each directory
     * that did not exist before so that the new entries survive a crash. Safe against a concurrent
     * caller creating the same directories.
     */
    public static void createDirectoriesAndFsync(Path directory) throws IOException {
        createDirectoriesAndFsync(FileLayer.nio(), directory);
    }

    /** {@link #createDirectoriesAndFsync(Path)} through {@code files}. */
    public static void createDirectoriesAndFsync(FileLayer files, Path directory) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = directory.toAbsolutePath(); p != null && !files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }

        while (!missing.isEmpty()) {
            Path next = missing.pop();
            try {
                files.createDirectory(next);
            } catch (FileAlreadyExistsException e) {
                if (!files.isDirectory(next)) {
                    throw e;
                }
                // Another thread created it. Fsync the parent anyway, because that thread may
                // not have done so yet, and this caller relies on the entry being durable.
            } catch (IOException e) {
                LOG.error("Failed to create the directory {}: {}", next, e.toString());
                throw e;
            }
            fsyncDirectory(files, parentOf(next));
        }
    }

    private static Path parentOf(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return Objects.requireNonNull(parent, () -> "The path " + path + " has no parent directory");
    }
}
