package org.arca.store.blob.staging;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.arca.store.blob.BlobId;
import org.arca.store.fs.FileLayer;

/**
 * One staging pack file: entries appended one after another, forced by group commit, read back by
 * position. The format is in {@link StagingFormat}.
 *
 * <p>Group commit: {@link #forceCoveringWrittenEntries} returns once a force that started after the
 * caller's append completed has succeeded. One caller forces while the others wait for it, so
 * concurrent ingests share one {@code fdatasync}. Because appends are written in offset order, one
 * after another, a forced entry implies that every entry before it is forced too.
 *
 * <p>A failed force poisons the pack: the kernel may have dropped the unwritten pages and marked them
 * clean, so no later force of this file proves anything. Every caller still waiting fails, and the
 * pack takes no more entries.
 *
 * <p>Thread-safety: {@link #append} is called under the staging area's append lock; the other
 * methods are safe for concurrent use.
 */
final class StagingPack {

    private final FileLayer files;
    private final Path path;
    private final long number;
    private final FileChannel channel;

    /** The offset of the next entry; written only under the staging area's append lock. */
    private volatile long end = StagingFormat.PACK_HEADER_SIZE;

    private final ReentrantLock forceLock = new ReentrantLock();
    private final Condition forceEnded = forceLock.newCondition();
    private long forcesStarted;
    private long forcesCompleted;
    private boolean forcing;
    private IOException forceFailure;

    /** Entries appended and not yet catalogued or failed, plus entries catalogued and not yet written out. */
    private int unsettledEntries;
    private boolean sealed;

    private StagingPack(FileLayer files, Path path, long number, FileChannel channel) {
        this.files = files;
        this.path = path;
        this.number = number;
        this.channel = channel;
    }

    /**
     * Creates the pack file, writes its header, fsyncs it and then its directory. The file grows with
     * each entry, so each force also commits the new size.
     */
    static StagingPack createAndFsync(FileLayer files, Path directory, long number) throws IOException {
        return createAndFsync(files, directory, number, 0);
    }

    /**
     * Creates a pack file of {@code sizeBytes} filled with zeros, then fsyncs it and its directory.
     * Entries then overwrite allocated blocks, so a force writes data only, not the file's metadata.
     */
    static StagingPack createPreallocatedAndFsync(FileLayer files, Path directory, long number, long sizeBytes)
            throws IOException {
        return createAndFsync(files, directory, number, sizeBytes);
    }

    private static StagingPack createAndFsync(FileLayer files, Path directory, long number, long sizeBytes)
            throws IOException {
        Path path = directory.resolve(fileName(number));
        FileChannel channel = files.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeFully(channel, StagingFormat.packHeader(number), 0);
            writeZeros(channel, StagingFormat.PACK_HEADER_SIZE, sizeBytes);
            channel.force(true);
            files.fsyncDirectory(directory);
        } catch (IOException e) {
            channel.close();
            files.deleteIfExists(path);
            throw e;
        }
        return new StagingPack(files, path, number, channel);
    }

    /**
     * Reuses this pack, whose blobs are all written out, as pack {@code newNumber}: renames the file,
     * writes the new header, fsyncs the file and the directory. The old entries stay in the file but
     * name the old pack number, so no reader takes them for entries of the new pack.
     */
    StagingPack recycleAndFsync(long newNumber) throws IOException {
        Path newPath = path.resolveSibling(fileName(newNumber));
        files.rename(path, newPath);
        writeFully(channel, StagingFormat.packHeader(newNumber), 0);
        channel.force(false);
        files.fsyncDirectory(newPath.getParent());
        return new StagingPack(files, newPath, newNumber, channel);
    }

    private static void writeZeros(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            writeFully(channel, zeros, at);
            at += zeros.limit();
        }
    }

    static String fileName(long number) {
        return String.format("pack-%012d.arcp", number);
    }

    /** Returns the pack number in a file name written by {@link #fileName}, or -1 for any other name. */
    static long numberOf(String fileName) {
        if (!fileName.matches("pack-[0-9]{12}\\.arcp")) {
            return -1;
        }
        return Long.parseLong(fileName.substring(5, 17));
    }

    Path path() {
        return path;
    }

    long number() {
        return number;
    }

    long sizeBytes() {
        return end;
    }

    boolean isPoisoned() {
        forceLock.lock();
        try {
            return forceFailure != null;
        } finally {
            forceLock.unlock();
        }
    }

    /**
     * Writes one entry at the end of the pack without forcing it; the caller holds the append lock.
     * A failed write leaves the end unchanged, so the next entry overwrites the partial one.
     */
    StagedLocation append(BlobId id, byte[] bytes, int length) throws IOException {
        long offset = end;
        writeFully(channel, StagingFormat.entryHeader(number, id, length), offset);
        writeFully(channel, ByteBuffer.wrap(bytes, 0, length), offset + StagingFormat.ENTRY_HEADER_SIZE);
        StagedLocation location = new StagedLocation(id, offset, length);
        end = location.endOffset();
        synchronized (this) {
            unsettledEntries++;
        }
        return location;
    }

    /** Forces the pack, sharing the force with concurrent callers (see the class documentation). */
    void forceCoveringWrittenEntries() throws IOException {
        forceLock.lock();
        try {
            long needed = forcesStarted + 1;
            while (forcesCompleted < needed) {
                if (forceFailure != null) {
                    throw new IOException("A force of staging pack " + path + " failed, so its latest entries "
                            + "are not durable: " + forceFailure.getMessage(), forceFailure);
                }
                if (forcing) {
                    forceEnded.awaitUninterruptibly();
                } else {
                    forceAsLeader();
                }
            }
        } finally {
            forceLock.unlock();
        }
    }

    /** Runs one force with the lock released; the caller holds {@link #forceLock}. */
    private void forceAsLeader() throws IOException {
        forcing = true;
        long number = ++forcesStarted;
        IOException failure = null;
        forceLock.unlock();
        try {
            channel.force(false);
        } catch (IOException e) {
            failure = e;
        } finally {
            forceLock.lock();
            forcing = false;
            if (failure == null) {
                forcesCompleted = number;
            } else {
                forceFailure = failure;
            }
            forceEnded.signalAll();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Marks the pack as failed after a failed write, so that it is deleted instead of recycled. */
    void poison(IOException failure) {
        forceLock.lock();
        try {
            if (forceFailure == null) {
                forceFailure = failure;
            }
        } finally {
            forceLock.unlock();
        }
    }

    /** Reads the blob bytes of an entry of this pack. */
    byte[] read(StagedLocation location) throws IOException {
        return readData(channel, location);
    }

    static byte[] readData(FileChannel channel, StagedLocation location) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(location.length());
        long position = location.dataOffset();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new EOFException("The staged blob " + location.id() + " ends early: the pack is shorter than "
                        + location.endOffset() + " bytes");
            }
        }
        return buffer.array();
    }

    /** Records that an appended entry will not be written out: its force failed. */
    synchronized void entryFailed() {
        unsettledEntries--;
    }

    /** Records that a catalogued entry is now in its blob file; returns true when the pack can be deleted. */
    synchronized boolean entryWrittenOut() {
        unsettledEntries--;
        return sealed && unsettledEntries == 0;
    }

    /** Takes no more entries from now on; returns true when the pack can be deleted. */
    synchronized boolean seal() {
        sealed = true;
        return unsettledEntries == 0;
    }

    /** Closes the pack file and deletes it, then fsyncs its directory. Call only when all entries are written out. */
    void deleteAndFsync() throws IOException {
        channel.close();
        files.delete(path);
        files.fsyncDirectory(path.getParent());
    }

    void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written after the last force; the file is scanned at the next start.
        }
    }

    /**
     * Returns the entries of a pack file with a valid header (see {@link PackScan}); their bytes
     * are not hashed.
     *
     * @throws StagingFormatException if the file is not a version 1 staging pack
     */
    static List<StagedLocation> scanEntries(FileChannel channel, String file) throws IOException {
        return PackScan.of(channel, file).entries();
    }

    /** Reads from {@code position} until the buffer is full or the file ends. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return;
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }
}
