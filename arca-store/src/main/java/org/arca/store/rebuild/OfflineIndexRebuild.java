package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.arca.store.DataDirectory;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalCorruptionException;
import org.arca.store.journal.JournalReader;

/**
 * Index rebuilds on a data directory that no node has open. Each takes the directory's lock for its
 * whole run, so a node cannot start halfway, and reads the journal without writing to it.
 */
public final class OfflineIndexRebuild {

    private OfflineIndexRebuild() {
    }

    /**
     * Rebuilds {@code index/arca.sqlite} from the whole journal and replaces it.
     *
     * @throws DataDirectoryInUseException when a node holds the lock
     * @throws IOException when the journal has a defect (a torn tail included) or a file operation fails;
     *     the live index is then unchanged
     */
    public static RebuildResult rebuild(Path dataDirectory) throws IOException {
        long first = Journal.firstSegmentSequence(DataDirectory.journalOf(dataDirectory));
        if (first > 1) {
            try (FileChannel lockChannel = lockOrThrow(dataDirectory)) {
                return readingJournal(dataDirectory, () -> IndexRebuilder.rebuildFromCheckpointAndReplace(
                        dataDirectory, first, Long.MAX_VALUE, from -> readJournal(dataDirectory, from),
                        DataDirectory.indexOf(dataDirectory)));
            }
        }
        try (FileChannel lockChannel = lockOrThrow(dataDirectory);
                JournalReader records = readJournal(dataDirectory)) {
            return readingJournal(dataDirectory,
                    () -> IndexRebuilder.rebuildAndReplace(records, DataDirectory.indexOf(dataDirectory)));
        }
    }

    /**
     * Writes the index as of {@code asOf} to {@code output}, a new file, and leaves the live index as it is.
     *
     * @throws DataDirectoryInUseException when a node holds the lock
     * @throws IOException when {@code output} exists, the journal has a defect, or a file operation fails
     */
    public static RebuildResult rebuildAsOf(Path dataDirectory, Instant asOf, Path output) throws IOException {
        long first = Journal.firstSegmentSequence(DataDirectory.journalOf(dataDirectory));
        if (first > 1) {
            try (FileChannel lockChannel = lockOrThrow(dataDirectory)) {
                return readingJournal(dataDirectory, () -> IndexRebuilder.rebuildAsOfFromCheckpoint(dataDirectory,
                        first, from -> readJournal(dataDirectory, from), asOf, output));
            }
        }
        try (FileChannel lockChannel = lockOrThrow(dataDirectory);
                JournalReader records = readJournal(dataDirectory)) {
            return readingJournal(dataDirectory, () -> IndexRebuilder.rebuildAsOf(records, asOf, output));
        }
    }

    private static JournalReader readJournal(Path dataDirectory) throws IOException {
        return readJournal(dataDirectory, 1);
    }

    private static JournalReader readJournal(Path dataDirectory, long fromSequence) throws IOException {
        return Journal.readDirectory(DataDirectory.journalOf(dataDirectory), fromSequence);
    }

    /** A rebuild step that reads the journal. */
    @FunctionalInterface
    private interface JournalRead {
        RebuildResult run() throws IOException;
    }

    /** Runs the step and adds the fix to the message of a journal defect. */
    private static RebuildResult readingJournal(Path dataDirectory, JournalRead read) throws IOException {
        try {
            return read.run();
        } catch (JournalCorruptionException e) {
            throw new IOException("The journal of " + dataDirectory + " has a defect: " + e.getMessage()
                    + ". Nothing was replaced. Run 'arca verify --data " + dataDirectory + "' to see it; a torn"
                    + " tail from a crash is cut when 'arca serve' starts, and that start also rebuilds the index.",
                    e);
        }
    }

    /** Locks {@code arca.lock} of the data directory; the lock is released when the channel closes. */
    private static FileChannel lockOrThrow(Path dataDirectory) throws IOException {
        if (!Files.isDirectory(DataDirectory.journalOf(dataDirectory))) {
            throw new IOException(dataDirectory + " is not an Arca data directory (it has no journal/); pass the"
                    + " directory that 'arca serve --data' uses.");
        }
        Path lockFile = DataDirectory.lockFileOf(dataDirectory);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new DataDirectoryInUseException(dataDirectory, lockFile);
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new DataDirectoryInUseException(dataDirectory, lockFile);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
