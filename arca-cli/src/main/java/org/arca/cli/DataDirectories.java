package org.arca.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.arca.store.DataDirectory;
import org.arca.store.index.Index;

/** Checks and opens data directories for the operator commands, which only read them. */
final class DataDirectories {

    private DataDirectories() {
    }

    static void requireExisting(Path dataDirectory) throws CliException {
        if (!Files.isDirectory(DataDirectory.journalOf(dataDirectory))) {
            throw new CliException("--data " + dataDirectory + " is not an Arca data directory (it has no journal/); "
                    + "pass the directory that 'arca serve --data' uses.");
        }
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
