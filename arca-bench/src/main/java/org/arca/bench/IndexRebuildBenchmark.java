package org.arca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.arca.store.DataDirectory;
import org.arca.store.index.InstanceRecord;
import org.arca.store.ingest.InstanceStoredEvent;
import org.arca.store.ingest.JournalRecordTypes;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.arca.store.rebuild.IndexFileCheck;
import org.arca.store.rebuild.OfflineIndexRebuild;
import org.arca.store.rebuild.RebuildResult;
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
 * {@link OfflineIndexRebuild#rebuild}: one full index rebuild of a journal of {@code records}
 * INSTANCE_STORED records, as one single-shot operation; the score is seconds per rebuild and the
 * tear-down prints journal records per second. The journal describes 25 instances per series, 4
 * series per study and 10 studies per patient, every instance in version 1. Run it with
 * {@code bench/jmh IndexRebuildBenchmark -wi 0 -i 1}, because a rebuild of 100,000 records takes minutes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IndexRebuildBenchmark {

    private static final int APPEND_THREADS = 16;

    @Param("100000")
    private int records;

    private Path dataDirectory;
    private RebuildResult lastResult;

    @Setup(Level.Trial)
    public void writeJournal() throws Exception {
        dataDirectory = BenchDirectories.create("arca-bench-rebuild");
        try (Journal journal = Journal.open(DataDirectory.journalOf(dataDirectory), Clock.systemUTC(),
                JournalOptions.defaults())) {
            appendConcurrently(journal);
        }
        System.out.printf("%n    journal: %d INSTANCE_STORED records in %s%n", records, dataDirectory);
    }

    /** Appends from several threads, so that group commit shares the forces and the set-up stays short. */
    private void appendConcurrently(Journal journal) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(APPEND_THREADS);
        try {
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < APPEND_THREADS; t++) {
                int first = t;
                appenders.add(threads.submit(() -> {
                    for (int n = first; n < records; n += APPEND_THREADS) {
                        byte[] payload = new InstanceStoredEvent(InstanceStoredEvent.FORMAT_VERSION, instance(n), null)
                                .toJsonBytes();
                        journal.appendAndForce(JournalRecordTypes.INSTANCE_STORED, payload);
                    }
                    return null;
                }));
            }
            for (Future<?> appender : appenders) {
                appender.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private static InstanceRecord instance(int n) {
        int series = n / 25;
        int study = series / 4;
        int patient = study / 10;
        return new InstanceRecord(0, "PID-" + patient, "BENCH", "Patient^" + patient, "19700101", "F",
                "2.25.1." + study, "20240115", "101500", "ACC-" + study, String.valueOf(study), "Study " + study,
                "Referrer^" + study, "2.25.2." + series, series % 2 == 0 ? "CT" : "MR", String.valueOf(series % 4),
                "Series " + series, "CHEST", "2.25.3." + n, "1.2.840.10008.5.1.4.1.1.2", String.valueOf(n % 25),
                "1.2.840.10008.1.2.1", "ISO_IR 192", String.format("%064x", n), 524_288, 1,
                1_700_000_000_000L + n, "BENCH");
    }

    @Benchmark
    public RebuildResult rebuild() throws IOException {
        lastResult = OfflineIndexRebuild.rebuild(dataDirectory);
        return lastResult;
    }

    /** Prints the rate, and what the start-up check of the rebuilt file costs against a full integrity_check. */
    @TearDown(Level.Trial)
    public void report() throws Exception {
        if (lastResult != null) {
            System.out.printf("%n    rebuild: %d journal records in %d ms, %.0f records per second%n",
                    lastResult.recordsRead(), lastResult.duration().toMillis(), lastResult.recordsPerSecond());
            Path indexFile = DataDirectory.indexOf(dataDirectory);
            IndexFileCheck.Result quickCheck = IndexFileCheck.check(indexFile);
            System.out.printf("    index file: %d bytes, quick_check %s in %d ms, integrity_check in %d ms%n",
                    Files.size(indexFile), quickCheck.state(), quickCheck.duration().toMillis(),
                    integrityCheckMillis(indexFile));
        }
        BenchDirectories.deleteRecursively(dataDirectory);
    }

    private static long integrityCheckMillis(Path indexFile) throws SQLException {
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + indexFile);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            rows.next();
            if (!"ok".equals(rows.getString(1))) {
                throw new IllegalStateException("integrity_check of " + indexFile + " reported " + rows.getString(1));
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
