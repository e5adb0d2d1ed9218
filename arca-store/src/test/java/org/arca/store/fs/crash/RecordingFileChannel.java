package org.arca.store.fs.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel that performs every call on the real channel and reports writes, truncates and
 * forces to its {@link CrashRecorder}. Memory mapping is not supported, because writes through a
 * mapping would bypass the record.
 */
final class RecordingFileChannel extends FileChannel {

    private final FileChannel real;
    private final CrashRecorder recorder;
    private final long inode;

    RecordingFileChannel(FileChannel real, CrashRecorder recorder, long inode) {
        this.real = real;
        this.recorder = recorder;
        this.inode = inode;
    }

    @Override
    public int read(ByteBuffer destination) throws IOException {
        return real.read(destination);
    }

    @Override
    public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
        return real.read(destinations, offset, length);
    }

    @Override
    public int read(ByteBuffer destination, long position) throws IOException {
        return real.read(destination, position);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        long position = real.position();
        ByteBuffer copy = source.duplicate();
        int written = real.write(source);
        recorder.recordWrite(inode, position, copy, written);
        return written;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(sources[i]);
        }
        return total;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        ByteBuffer copy = source.duplicate();
        int written = real.write(source, position);
        recorder.recordWrite(inode, position, copy, written);
        return written;
    }

    @Override
    public long position() throws IOException {
        return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        real.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        real.truncate(size);
        recorder.recordTruncate(inode, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        int coversBefore = recorder.operationCount();
        real.force(metaData);
        recorder.recordSync(inode, coversBefore);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) {
        throw new UnsupportedOperationException("transferFrom is not recorded; write through write()");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("Memory mapping bypasses the crash recorder");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return real.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return real.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        real.close();
    }
}
