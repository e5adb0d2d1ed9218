package org.arca.store.fs.crash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.arca.store.fs.FileLayer;

/**
 * A {@link FileLayer} over the real file system that fails chosen operations with the IOException
 * that Linux reports for EIO ("Input/output error"), while a fault is set. It also records, per
 * file, the writes made after a force of that file failed, so that a test can check that nothing
 * is written into a file whose fsync failed. Thread-safe.
 */
final class FaultInjectingFileLayer implements FileLayer {

    /** The operations that can fail. */
    enum Operation { WRITE, FORCE, FSYNC_DIRECTORY, RENAME, CREATE }

    private record Fault(Operation operation, Predicate<Path> paths) {
    }

    private final FileLayer real = FileLayer.nio();
    private final List<Fault> faults = new ArrayList<>();
    private final Set<Path> failedForces = ConcurrentHashMap.newKeySet();
    private final List<String> writesAfterFailedForce = new ArrayList<>();
    private final List<Path> renameTargets = new ArrayList<>();
    private final List<Path> fsyncedDirectories = new ArrayList<>();
    private int injected;

    /** Fails every {@code operation} on a path that matches {@code paths} until {@link #clear()}. */
    synchronized void fail(Operation operation, Predicate<Path> paths) {
        faults.add(new Fault(operation, paths));
    }

    synchronized void clear() {
        faults.clear();
    }

    synchronized int injectedCount() {
        return injected;
    }

    /** Returns the target of every rename so far, in order. */
    synchronized List<Path> renameTargets() {
        return List.copyOf(renameTargets);
    }

    /** Returns every directory fsynced successfully so far, in order. */
    synchronized List<Path> fsyncedDirectories() {
        return List.copyOf(fsyncedDirectories);
    }

    /** Returns one line per write to a file after a force of that file had failed. */
    synchronized List<String> writesAfterFailedForce() {
        return List.copyOf(writesAfterFailedForce);
    }

    synchronized void check(Operation operation, Path path) throws IOException {
        if (operation == Operation.WRITE && failedForces.contains(path)) {
            writesAfterFailedForce.add(path.toString());
        }
        for (Fault fault : faults) {
            if (fault.operation == operation && fault.paths.test(path)) {
                injected++;
                if (operation == Operation.FORCE) {
                    failedForces.add(path);
                }
                throw new IOException("Input/output error (injected " + operation + " fault on " + path + ")");
            }
        }
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        Path path = file.toAbsolutePath();
        if (Set.of(options).contains(java.nio.file.StandardOpenOption.CREATE_NEW)
                || Set.of(options).contains(java.nio.file.StandardOpenOption.CREATE)) {
            check(Operation.CREATE, path);
        }
        return new FaultyChannel(real.open(path, options), path);
    }

    @Override
    public void fsyncDirectory(Path directory) throws IOException {
        check(Operation.FSYNC_DIRECTORY, directory.toAbsolutePath());
        real.fsyncDirectory(directory);
        synchronized (this) {
            fsyncedDirectories.add(directory.toAbsolutePath());
        }
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        check(Operation.RENAME, target.toAbsolutePath());
        real.rename(source, target);
        synchronized (this) {
            renameTargets.add(target.toAbsolutePath());
        }
    }

    @Override
    public void createDirectory(Path directory) throws IOException {
        real.createDirectory(directory);
    }

    @Override
    public void delete(Path path) throws IOException {
        real.delete(path);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return real.deleteIfExists(path);
    }

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

    /** A channel that checks for a fault before each write and force. */
    private final class FaultyChannel extends FileChannel {

        private final FileChannel channel;
        private final Path path;

        FaultyChannel(FileChannel channel, Path path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return channel.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return channel.read(destinations, offset, length);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return channel.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            check(Operation.WRITE, path);
            return channel.write(source);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            check(Operation.WRITE, path);
            return channel.write(sources, offset, length);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            check(Operation.WRITE, path);
            return channel.write(source, position);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            check(Operation.FORCE, path);
            channel.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return channel.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) {
            throw new UnsupportedOperationException("transferFrom bypasses the fault checks");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("Memory mapping bypasses the fault checks");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return channel.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
