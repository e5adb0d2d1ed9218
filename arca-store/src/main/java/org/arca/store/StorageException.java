package org.arca.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An I/O failure of Arca's storage, classified so that callers can reply with the right status
 * (no space maps to DICOM status 0xA700 "out of resources", every other I/O error to 0x0110
 * "processing failure"). Create instances through {@code StorageFailures.classify}.
 */
public class StorageException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The class of a storage failure. */
    public enum Kind {
        /** The file system is full (ENOSPC) or the quota is exhausted: free space, then retry. */
        NO_SPACE,
        /** Any other I/O error: check the disk, the file system and the kernel log. */
        IO_ERROR
    }

    private final Kind kind;
    private final transient Path path;

    public StorageException(Kind kind, Path path, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the file or directory that the failed operation used, or null when unknown. */
    public Path path() {
        return path;
    }
}
