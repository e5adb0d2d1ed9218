package org.arca.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link Journal#appendAndForce} with 1, 4 and 16 concurrent writers, in records per second (the
 * score sums all threads). Each record carries a 256-byte payload, about the size of an
 * instance-stored record. The tear-down prints the forces per record, which shows how much
 * group commit shares: 1.0 means one fdatasync per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendBenchmark {

    private static final int PAYLOAD_SIZE = 256;

    private Path directory;
    private Journal journal;
    private long forcesAtStart;
    private long sequenceAtStart;
    private final byte[] payload = new byte[PAYLOAD_SIZE];

    @Setup(Level.Iteration)
    public void openJournal() throws IOException {
        directory = BenchDirectories.create("arca-bench-journal");
        journal = Journal.open(directory, Clock.systemUTC(), JournalOptions.defaults());
        forcesAtStart = journal.forceCount();
        sequenceAtStart = journal.lastSequence();
    }

    @TearDown(Level.Iteration)
    public void closeJournal() {
        long records = journal.lastSequence() - sequenceAtStart;
        long forces = journal.forceCount() - forcesAtStart;
        journal.close();
        System.out.printf("%n    journal: %d records, %d forces, %.3f forces per record%n", records, forces,
                records == 0 ? 0.0 : (double) forces / records);
        BenchDirectories.deleteRecursively(directory);
    }

    @Benchmark
    @Threads(1)
    public long appendAndForce1Writer() throws IOException {
        return journal.appendAndForce(1, payload);
    }

    @Benchmark
    @Threads(4)
    public long appendAndForce4Writers() throws IOException {
        return journal.appendAndForce(1, payload);
    }

    @Benchmark
    @Threads(16)
    public long appendAndForce16Writers() throws IOException {
        return journal.appendAndForce(1, payload);
    }
}
