package org.arca.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.arca.store.fs.Fsync;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The single steps that publishing a small blob is made of, in microseconds each, so that the cost
 * of {@link org.arca.store.blob.BlobStore#publishAndFsync} can be split into its parts: creating
 * and writing a 10 KB file with fsync or fdatasync, renaming it into another directory, fsyncing a
 * directory that just changed, fsyncing a directory that did not change, and creating a directory
 * with an fsync of its parent. Two more show what journal preallocation changes: appending a
 * 316-byte record (a journal record with a 256-byte payload) and fdatasyncing it, once to a growing
 * file and once inside a file that was written full of zeros beforehand.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FsyncStepsBenchmark {

    private static final int FILE_SIZE = 10 * 1024;
    private static final int RECORD_SIZE = 316;
    private static final long PREALLOCATED_SIZE = 64L * 1024 * 1024;

    private Path root;
    private Path source;
    private Path target;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(FILE_SIZE);
    private long counter;
    private FileChannel growing;
    private FileChannel preallocated;
    private long growingPosition;
    private long preallocatedPosition;
    private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_SIZE);

    @Setup(Level.Iteration)
    public void createDirectories() throws IOException {
        root = BenchDirectories.create("arca-bench-fsync");
        source = Files.createDirectory(root.resolve("source"));
        target = Files.createDirectory(root.resolve("target"));
        growing = FileChannel.open(root.resolve("growing"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        growingPosition = 0;
        preallocated = FileChannel.open(root.resolve("preallocated"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long at = 0; at < PREALLOCATED_SIZE; at += zeros.capacity()) {
            zeros.clear();
            while (zeros.hasRemaining()) {
                preallocated.write(zeros, at + zeros.position());
            }
        }
        preallocated.force(true);
        Fsync.fsyncDirectory(root);
        preallocatedPosition = 0;
    }

    @TearDown(Level.Iteration)
    public void deleteDirectories() throws IOException {
        growing.close();
        preallocated.close();
        BenchDirectories.deleteRecursively(root);
    }

    /** Appends a record to a file that grows with every append, then fdatasyncs it. */
    @Benchmark
    public long appendAndFdatasyncGrowingFile() throws IOException {
        growingPosition += writeRecord(growing, growingPosition);
        growing.force(false);
        return growingPosition;
    }

    /** Writes a record inside a zero-filled file (wrapping around at 64 MiB), then fdatasyncs it. */
    @Benchmark
    public long writeAndFdatasyncPreallocatedFile() throws IOException {
        if (preallocatedPosition + RECORD_SIZE > PREALLOCATED_SIZE) {
            preallocatedPosition = 0;
        }
        preallocatedPosition += writeRecord(preallocated, preallocatedPosition);
        preallocated.force(false);
        return preallocatedPosition;
    }

    private int writeRecord(FileChannel channel, long position) throws IOException {
        record.clear();
        record.put(0, (byte) counter++);
        int written = 0;
        while (record.hasRemaining()) {
            written += channel.write(record, position + written);
        }
        return written;
    }

    @Benchmark
    public Path newFileWriteAndFsync() throws IOException {
        return writeNewFile(true);
    }

    @Benchmark
    public Path newFileWriteAndFdatasync() throws IOException {
        return writeNewFile(false);
    }

    /** A rename between two directories with an fsync of the target directory only. */
    @Benchmark
    public Path renameAndFsyncTargetDirectory() throws IOException {
        Path file = Files.createFile(source.resolve("file-" + counter++));
        Path renamed = Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Fsync.fsyncDirectory(target);
        return renamed;
    }

    /** The same rename with fsyncs of both directories. */
    @Benchmark
    public Path renameAndFsyncBothDirectories() throws IOException {
        Path file = Files.createFile(source.resolve("file-" + counter++));
        Path renamed = Files.move(file, target.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Fsync.fsyncDirectory(target);
        Fsync.fsyncDirectory(source);
        return renamed;
    }

    @Benchmark
    public void fsyncUnchangedDirectory() throws IOException {
        Fsync.fsyncDirectory(target);
    }

    @Benchmark
    public Path createDirectoryAndFsyncParent() throws IOException {
        Path directory = Files.createDirectory(target.resolve("dir-" + counter++));
        Fsync.fsyncDirectory(target);
        return directory;
    }

    private Path writeNewFile(boolean metadata) throws IOException {
        Path file = source.resolve("file-" + counter++);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            bytes.clear();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(metadata);
        }
        return file;
    }
}
