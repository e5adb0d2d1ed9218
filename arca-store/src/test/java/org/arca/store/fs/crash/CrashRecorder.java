package org.arca.store.fs.crash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.arca.store.fs.FileLayer;

/**
 * A {@link FileLayer} over a real directory that performs every operation on the real file system
 * (or on a layer that injects faults into it) and records, in completion order, each write, truncate, fsync, directory fsync, create, rename and
 * delete under {@code root}. {@link CrashStates} replays the record to build the disk states that a
 * power loss at any point could leave. Paths outside {@code root} are not supported.
 *
 * <p>The record is a model of a POSIX file system without ordering guarantees (the strict case of
 * ALICE and LazyFS): data is durable only after an fsync of its file, a name only after an fsync
 * of its directory.
 *
 * <p>Thread-safe: namespace changes run and are recorded under one lock, so the recorded order is
 * the real order; writes and fsyncs run outside it.
 */
final class CrashRecorder implements FileLayer {

    private final FileLayer real;
    private final Path root;
    private final List<FileOperation> operations = new ArrayList<>();
    private final Map<Path, Long> inodes = new HashMap<>();
    private long nextInode = 1;

    CrashRecorder(Path root) {
        this(root, FileLayer.nio());
    }

    /**
     * Records the operations that {@code real} completes. An operation that {@code real} fails is
     * not recorded, so a failed fsync makes nothing durable.
     */
    CrashRecorder(Path root, FileLayer real) {
        this.real = real;
        this.root = root.toAbsolutePath();
        inodes.put(this.root, 0L);
    }

    Path root() {
        return root;
    }

    /**
     * Records the tree under the root as it is now as durable: each directory and file is linked, each
     * file's bytes are written, then every file and directory is fsynced. Call it before the first
     * operation through this recorder. The crash states of what follows then start from that tree, as
     * the start after an earlier crash does. Returns the number of operations recorded: crash points
     * below it fall inside this synthetic prefix and model no real state.
     */
    synchronized int recordExistingTreeAsDurable() throws IOException {
        if (!operations.isEmpty()) {
            throw new IllegalStateException("The existing tree must be recorded before any other operation");
        }
        List<Path> paths;
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(path -> !path.equals(root)).sorted().toList();
        }
        List<Long> synced = new ArrayList<>(List.of(0L));
        for (Path path : paths) {
            long inode = nextInode++;
            inodes.put(path, inode);
            boolean directory = Files.isDirectory(path);
            operations.add(new FileOperation.Link(directoryInode(path), name(path), inode, directory));
            if (!directory) {
                operations.add(new FileOperation.Write(inode, 0, Files.readAllBytes(path)));
            }
            synced.add(inode);
        }
        int coversBefore = operations.size();
        for (long inode : synced) {
            operations.add(new FileOperation.Sync(inode, coversBefore));
        }
        return operations.size();
    }

    /** Returns the number of operations recorded so far: a crash point. */
    synchronized int operationCount() {
        return operations.size();
    }

    /** Returns a copy of the first {@code count} operations. */
    synchronized List<FileOperation> operations(int count) {
        return List.copyOf(operations.subList(0, count));
    }

    synchronized List<FileOperation> operations() {
        return List.copyOf(operations);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        Path path = file.toAbsolutePath();
        Set<OpenOption> set = Set.of(options);
        boolean writable = set.contains(StandardOpenOption.WRITE);
        synchronized (this) {
            boolean existed = Files.exists(path);
            FileChannel channel = real.open(path, options);
            if (!writable) {
                return channel;
            }
            Long inode = inodes.get(path);
            if (!existed || inode == null) {
                inode = nextInode++;
                inodes.put(path, inode);
                operations.add(new FileOperation.Link(directoryInode(path), name(path), inode, false));
            } else if (set.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                operations.add(new FileOperation.Truncate(inode, 0));
            }
            return new RecordingFileChannel(channel, this, inode);
        }
    }

    @Override
    public void fsyncDirectory(Path directory) throws IOException {
        long inode;
        int coversBefore;
        synchronized (this) {
            inode = inodeOf(directory.toAbsolutePath());
            coversBefore = operations.size();
        }
        real.fsyncDirectory(directory);
        recordSync(inode, coversBefore);
    }

    @Override
    public synchronized void rename(Path source, Path target) throws IOException {
        Path from = source.toAbsolutePath();
        Path to = target.toAbsolutePath();
        long inode = inodeOf(from);
        real.rename(from, to);
        inodes.remove(from);
        inodes.put(to, inode);
        operations.add(new FileOperation.Link(directoryInode(to), name(to), inode, false));
        operations.add(new FileOperation.Unlink(directoryInode(from), name(from)));
    }

    @Override
    public synchronized void createDirectory(Path directory) throws IOException {
        Path path = directory.toAbsolutePath();
        real.createDirectory(path);
        long inode = nextInode++;
        inodes.put(path, inode);
        operations.add(new FileOperation.Link(directoryInode(path), name(path), inode, true));
    }

    @Override
    public synchronized void delete(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        real.delete(absolute);
        inodes.remove(absolute);
        operations.add(new FileOperation.Unlink(directoryInode(absolute), name(absolute)));
    }

    @Override
    public synchronized boolean deleteIfExists(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (!real.deleteIfExists(absolute)) {
            return false;
        }
        inodes.remove(absolute);
        operations.add(new FileOperation.Unlink(directoryInode(absolute), name(absolute)));
        return true;
    }

    /** Permissions are not part of the model: the replayed files keep the default mode. */
    @Override
    public void setReadOnly(Path file) throws IOException {
        real.setReadOnly(file);
    }

    @Override
    public long size(Path file) throws IOException {
        return real.size(file);
    }

    @Override
    public boolean isRegularFile(Path path) {
        return real.isRegularFile(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        return real.isDirectory(path);
    }

    @Override
    public DirectoryStream<Path> list(Path directory) throws IOException {
        return real.list(directory);
    }

    @Override
    public InputStream newInputStream(Path file) throws IOException {
        return real.newInputStream(file);
    }

    void recordWrite(long inode, long position, ByteBuffer source, int written) {
        byte[] bytes = new byte[written];
        source.get(bytes);
        add(new FileOperation.Write(inode, position, bytes));
    }

    void recordTruncate(long inode, long sizeBytes) {
        add(new FileOperation.Truncate(inode, sizeBytes));
    }

    void recordSync(long inode, int coversBefore) {
        add(new FileOperation.Sync(inode, coversBefore));
    }

    private synchronized void add(FileOperation operation) {
        operations.add(operation);
    }

    private long inodeOf(Path path) throws NoSuchFileException {
        Long inode = inodes.get(path);
        if (inode == null) {
            throw new NoSuchFileException(path + " was not created through the crash recorder of " + root);
        }
        return inode;
    }

    private long directoryInode(Path path) throws NoSuchFileException {
        return inodeOf(path.getParent());
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
