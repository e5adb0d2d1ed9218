package org.arca.store.fs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.arca.store.StorageException;
import org.arca.store.StorageException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single place where storage I/O failures are classified into {@link StorageException}s of
 * kind {@link Kind#NO_SPACE} or {@link Kind#IO_ERROR}. The blob store and the journal route their
 * IOExceptions through {@link #classify(IOException, Path)}.
 *
 * <p>Thread-safety: stateless, safe for concurrent use.
 */
public final class StorageFailures {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFailures.class);

    /** The text of strerror(ENOSPC) that the JDK puts into the exception message on Linux. */
    private static final String ENOSPC_MESSAGE = "No space left on device";

    /** The text of strerror(EDQUOT), which this class treats like ENOSPC. */
    private static final String EDQUOT_MESSAGE = "Disk quota exceeded";

    private StorageFailures() {
    }

    /**
     * Classifies a failure of an operation on {@code path}. An exception that is already a
     * {@link StorageException} is returned unchanged.
     */
    public static StorageException classify(IOException failure, Path path) {
        if (failure instanceof StorageException storageException) {
            return storageException;
        }

        if (isNoSpace(failure, path)) {
            return new StorageException(Kind.NO_SPACE, path,
                    "No space left on the file system of " + path + " (" + failure
                            + "). Free space on that file system, then retry.",
                    failure);
        }
        return new StorageException(Kind.IO_ERROR, path,
                "I/O error on " + path + " (" + failure
                        + "). Check the disk, the file system and the kernel log.",
                failure);
    }

    private static boolean isNoSpace(IOException failure, Path path) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null
                    && (message.contains(ENOSPC_MESSAGE) || message.contains(EDQUOT_MESSAGE))) {
                return true;
            }
        }

        // These failures name their cause, so the free space of the file system is irrelevant.
        if (failure instanceof NoSuchFileException
                || failure instanceof FileAlreadyExistsException
                || failure instanceof AccessDeniedException) {
            return false;
        }
        return usableSpaceIsZero(path);
    }

    /** Checks the file store of the nearest existing ancestor of {@code path}. */
    private static boolean usableSpaceIsZero(Path path) {
        Path existing = path == null ? null : path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }

        try {
            return Files.getFileStore(existing).getUsableSpace() == 0;
        } catch (IOException e) {
            LOG.debug("Could not read the usable space of the file store of {}: {}", existing, e.toString());
            return false;
        }
    }
}
