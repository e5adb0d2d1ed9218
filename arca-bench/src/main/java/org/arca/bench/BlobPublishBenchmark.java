package org.arca.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.arca.store.blob.BlobId;
import org.arca.store.blob.BlobStore;
import org.arca.store.blob.TempBlob;
import org.arca.store.fs.Fsync;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One blob written to a temporary file and published with {@link BlobStore#publishAndFsync}, in
 * microseconds per blob, single-threaded. Every blob has new bytes (a counter in its first 8 bytes),
 * so none is deduplicated. With {@code fanOut=existing} all 65,536 fan-out directories exist (and
 * are fsynced) before the measurement, as in a store that has been in use; with {@code fanOut=fresh}
 * the store starts empty, so most of the first few thousand publishes create their fan-out
 * directory, as in a new store. The store lives for the whole trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BlobPublishBenchmark {

    @Param({"10240", "524288"})
    public int blobSize;

    @Param({"existing", "fresh"})
    public String fanOut;

    private Path root;
    private BlobStore store;
    private byte[] bytes;
    private long counter;

    @Setup(Level.Trial)
    public void openStore() throws IOException {
        root = BenchDirectories.create("arca-bench-blobs");
        store = BlobStore.open(root);
        if (fanOut.equals("existing")) {
            createFanOutDirectories(root);
        }
        bytes = new byte[blobSize];
        new SplittableRandom(blobSize).nextBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void deleteStore() {
        BenchDirectories.deleteRecursively(root);
    }

    @Benchmark
    public BlobId publishAndFsync() throws IOException {
        ByteBuffer.wrap(bytes).putLong(0, counter++);
        try (TempBlob temp = store.createTemp()) {
            try (OutputStream out = temp.outputStream()) {
                out.write(bytes);
            }
            return store.publishAndFsync(temp);
        }
    }

    /** Creates root/00/00 to root/ff/ff and fsyncs their parents, so that publishes find them durable. */
    private static void createFanOutDirectories(Path root) throws IOException {
        for (int first = 0; first < 256; first++) {
            Path level1 = Files.createDirectory(root.resolve(String.format("%02x", first)));
            for (int second = 0; second < 256; second++) {
                Files.createDirectory(level1.resolve(String.format("%02x", second)));
            }
            Fsync.fsyncDirectory(level1);
        }
        Fsync.fsyncDirectory(root);
    }
}
