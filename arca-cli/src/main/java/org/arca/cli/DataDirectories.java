package org.arca.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;

/** Checks and opens data directories for the operator commands, which only read them. */
final class DataDirectories {

    private DataDirectories() {
    }

    static void requireExisting(Path dataDirectory) throws CliException {
        requireNamed(dataDirectory);
        if (!Files.exists(dataDirectory)) {
            throw new CliException("--data " + dataDirectory + " does not exist; pass the directory that 'arca serve "
                    + "--data' uses.");
        }
        if (!Files.isDirectory(DataDirectory.journalOf(dataDirectory))) {
            throw new CliException("--data " + dataDirectory + " is not an Arca data directory (it has no journal/); "
                    + "pass the directory that 'arca serve --data' uses.");
        }
    }

    /** Rejects an empty {@code --data}, which would name the working directory. */
    static void requireNamed(Path dataDirectory) throws CliException {
        if (dataDirectory.toString().isBlank()) {
            throw new CliException("--data is empty; pass the directory that 'arca serve --data' uses, such as "
                    + "arca-data.");
        }
    }

    /**
     * Returns whether a running node holds the data directory: another process has locked
     * {@code arca.lock}, which a node does from its start to its stop. Creates no file; a lock this
     * method takes is released at once. An unreadable lock file counts as not held.
     */
    static boolean heldByRunningNode(Path dataDirectory) {
        return DataDirectory.isLockedByNode(dataDirectory);
    }

    static Index openIndex(Path dataDirectory) throws CliException {
        Path indexFile = DataDirectory.indexOf(dataDirectory);
        if (!Files.isRegularFile(indexFile)) {
            throw new CliException("Data directory " + dataDirectory + " has no index at " + indexFile
                    + "; start 'arca serve --data " + dataDirectory + "' once to build it from the journal.");
        }
        try {
            return Index.open(indexFile);
        } catch (RuntimeException e) {
            throw new CliException("Opening the index " + indexFile + " failed: " + e.getMessage(), e);
        }
    }
}
