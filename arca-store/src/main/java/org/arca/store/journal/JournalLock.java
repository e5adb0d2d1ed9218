package org.arca.store.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a journal directory, so that a second process (or a second {@link Journal}
 * in this process) cannot run recovery or append while the journal is open. The lock is the OS
 * file lock on {@value #FILE_NAME}; the OS releases it if the process dies. Thread-safe.
 */
final class JournalLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalLock.class);

    static final String FILE_NAME = "journal.lock";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory}.
     *
     * @throws IOException if another process or another open Journal has locked it
     */
    static JournalLock acquire(Path directory) throws IOException {
        Path path = directory.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("The journal " + directory + " is already open (" + path
                    + " is locked by this or another process). Stop the other Arca process before opening it.");
        }
        return new JournalLock(path, channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("Failed to release the journal lock {}: {}", path, e.toString());
        }
    }
}
