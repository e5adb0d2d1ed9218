package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexConcurrencyTest {

    private static final int WRITERS = 3;
    private static final int RECORDS_PER_WRITER = 100;
    private static final int READERS = 3;

    @TempDir
    Path dir;

    @Test
    void readersSeeOnlyCommittedRecords() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(WRITERS + READERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        try (Index index = Index.open(dir.resolve("arca.sqlite"))) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(executor.submit(() -> applyRecords(index, writer)));
            }
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(executor.submit(() -> readWhileWriting(index, writing)));
            }

            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Long> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
            }

            long total = WRITERS * RECORDS_PER_WRITER;
            assertThat(index.counts()).isEqualTo(new IndexCounts(1, WRITERS, WRITERS, total, total));
            assertThat(index.lastAppliedJournalSequence()).isEqualTo(total);
        } finally {
            executor.shutdownNow();
        }
    }

    /** Stores one series per writer, all of one patient, under journal sequences that do not overlap. */
    private static Void applyRecords(Index index, int writer) {
        for (int i = 1; i <= RECORDS_PER_WRITER; i++) {
            long sequence = (long) writer * RECORDS_PER_WRITER + i;
            String seriesUid = "2.25.9." + writer;
            index.applyInstanceStored(new RecordBuilder().sequence(sequence)
                    .study("2.25." + writer, "20240101", "ACC-" + writer)
                    .series(seriesUid, "CT")
                    .instance(seriesUid + "." + i, 1, RecordBuilder.sha256Of(sequence))
                    .build());
        }
        return null;
    }

    /**
     * Reads counts until the writers finish and checks that each snapshot is consistent: every instance has a
     * version, and the study counts add up. Returns the number of reads.
     */
    private static long readWhileWriting(Index index, AtomicBoolean writing) {
        long reads = 0;
        long previousInstances = 0;
        while (writing.get() || reads == 0) {
            IndexCounts counts = index.counts();
            assertThat(counts.versions()).isEqualTo(counts.instances());
            assertThat(counts.instances()).isGreaterThanOrEqualTo(previousInstances);
            previousInstances = counts.instances();
            reads++;
        }
        return reads;
    }
}
