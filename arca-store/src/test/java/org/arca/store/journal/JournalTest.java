package org.arca.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void appendReadReopenAcrossSegmentRolls() throws Exception {
        JournalOptions options = JournalOptions.defaults().withSegmentSizeBytes(4096);
        try (Journal journal = Journal.open(dir, CLOCK, options)) {
            for (int i = 1; i <= 100; i++) {
                assertThat(journal.appendAndForce(7, payload(i))).isEqualTo(i);
            }
            assertThat(journal.lastSequence()).isEqualTo(100);
        }
        assertThat(segmentFiles()).hasSizeGreaterThan(2).allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(4096));

        try (Journal journal = Journal.open(dir, CLOCK, options)) {
            assertThat(journal.recoveryReport().isClean()).isTrue();
            assertThat(journal.recoveryReport().lastSequence()).isEqualTo(100);
            assertThat(journal.appendAndForce(8, payload(101))).isEqualTo(101);

            List<JournalRecord> records = readAll(journal, 1);
            assertThat(records).extracting(JournalRecord::sequence).containsExactlyElementsOf(range(1, 101));
            assertThat(records.get(0).previousHash()).isEqualTo(new byte[32]);
            for (int i = 1; i < records.size(); i++) {
                assertThat(records.get(i).previousHash()).as("chain at %d", i + 1).isEqualTo(records.get(i - 1).hash());
                assertThat(records.get(i).payload()).isEqualTo(payload(i + 1));
            }
            assertThat(records.get(100).type()).isEqualTo(8);
            assertThat(records.get(0).timestampMillis()).isEqualTo(CLOCK.millis());

            assertThat(readAll(journal, 57)).extracting(JournalRecord::sequence).containsExactlyElementsOf(range(57, 101));
            JournalVerification verification = journal.verify();
            assertThat(verification.problems()).isEmpty();
            assertThat(verification.recordCount()).isEqualTo(101);
        }
    }

    @Test
    void emptyJournalHasNoRecords() throws Exception {
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            assertThat(journal.lastSequence()).isZero();
            assertThat(readAll(journal, 1)).isEmpty();
            assertThat(journal.verify().isOk()).isTrue();
        }
        assertThat(segmentFiles()).containsExactly(dir.resolve("00000000000000000001.seg"));
    }

    @Test
    void groupCommitSharesOneForce() throws Exception {
        int appenders = 32;
        GateClock clock = new GateClock();
        ExecutorService pool = Executors.newFixedThreadPool(appenders);
        try (Journal journal = Journal.open(dir, clock, JournalOptions.defaults())) {
            long forcesBefore = journal.forceCount();

            // The first caller finds the journal idle and writes its record itself. It blocks in the clock, so
            // that all others queue behind it: the writer thread takes one and waits, the rest stay queued.
            clock.arm();
            List<Future<Long>> sequences = new ArrayList<>();
            sequences.add(pool.submit(() -> journal.appendAndForce(1, payload(0))));
            assertThat(clock.entered.await(10, TimeUnit.SECONDS)).as("first caller reached the clock").isTrue();
            for (int i = 1; i < appenders; i++) {
                int n = i;
                sequences.add(pool.submit(() -> journal.appendAndForce(1, payload(n))));
            }
            awaitQueued(journal, appenders - 2);
            clock.release.countDown();

            List<Long> assigned = new ArrayList<>();
            for (Future<Long> sequence : sequences) {
                assigned.add(sequence.get(10, TimeUnit.SECONDS));
            }
            Collections.sort(assigned);
            assertThat(assigned).containsExactlyElementsOf(range(1, appenders));
            assertThat(journal.forceCount() - forcesBefore).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleJournalWritesInCaller() throws Exception {
        GateClock clock = new GateClock();
        try (Journal journal = Journal.open(dir, clock, JournalOptions.defaults())) {
            long forcesBefore = journal.forceCount();
            clock.release.countDown();
            clock.arm();

            long sequence = journal.appendAndForce(1, payload(0));

            assertThat(clock.enteredBy).isSameAs(Thread.currentThread());
            assertThat(sequence).isEqualTo(1);
            assertThat(journal.forceCount() - forcesBefore).isEqualTo(1);
        }
    }

    @Test
    void concurrentAppendsGetDistinctSequences() throws Exception {
        int threads = 8;
        int perThread = 100;
        Map<Long, String> written = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults().withSegmentSizeBytes(16 * 1024))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String text = "thread " + thread + " record " + i;
                        written.put(journal.appendAndForce(2, text.getBytes(StandardCharsets.UTF_8)), text);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }

            List<JournalRecord> records = readAll(journal, 1);
            assertThat(records).hasSize(threads * perThread);
            for (JournalRecord record : records) {
                assertThat(new String(record.payload(), StandardCharsets.UTF_8)).isEqualTo(written.get(record.sequence()));
            }
            assertThat(journal.verify().isOk()).isTrue();
            // The force count is not asserted here because it depends on timing; the gated test asserts sharing.
            System.out.printf("%d appends used %d forces%n", threads * perThread, journal.forceCount());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readerSeesOnlyRecordsDurableAtCreation() throws Exception {
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            journal.appendAndForce(1, payload(1));
            JournalReader reader = journal.read(1);
            journal.appendAndForce(1, payload(2));

            assertThat(reader.next().sequence()).isEqualTo(1);
            assertThat(reader.hasNext()).isFalse();
            assertThatThrownBy(reader::next).isInstanceOf(java.util.NoSuchElementException.class);
        }
    }

    @Test
    void verifyReportsCrcProblemWithOffset() throws Exception {
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            for (int i = 1; i <= 10; i++) {
                journal.appendAndForce(1, payload(i));
            }
            Path segment = segmentFiles().get(0);
            flipByte(segment, offsetOf(4) + 70);

            JournalVerification verification = journal.verify();

            assertThat(verification.problems()).hasSize(1);
            JournalProblem problem = verification.problems().get(0);
            assertThat(problem.defect()).isEqualTo(JournalDefect.BAD_CRC);
            assertThat(problem.segment()).isEqualTo(segment);
            assertThat(problem.offset()).isEqualTo(offsetOf(4));
            assertThat(problem.expectedSequence()).isEqualTo(4);
            assertThat(verification.recordCount()).isEqualTo(9);
        }
    }

    @Test
    void secondOpenOfSameDirectoryIsRejected() throws Exception {
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            journal.appendAndForce(1, payload(1));

            assertThatThrownBy(() -> Journal.open(dir, CLOCK, JournalOptions.defaults()))
                    .isInstanceOf(org.arca.store.StorageException.class).hasMessageContaining("is already open");
        }

        try (Journal reopened = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            assertThat(reopened.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void appendAfterCloseIsRejected() throws Exception {
        Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults());
        journal.appendAndForce(1, payload(1));
        journal.close();
        journal.close();

        assertThatThrownBy(() -> journal.appendAndForce(1, payload(2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void oversizedPayloadIsRejected() throws Exception {
        try (Journal journal = Journal.open(dir, CLOCK, JournalOptions.defaults())) {
            assertThatThrownBy(() -> journal.appendAndForce(1, new byte[JournalSegment.MAX_PAYLOAD_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
            assertThat(journal.lastSequence()).isZero();
        }
    }

    // Helpers shared with the other journal tests.

    /** Every test payload has 40 bytes, so every record has 100 bytes. */
    static final int RECORD_SIZE = 100;

    static byte[] payload(int n) {
        return String.format("payload %032d", n).getBytes(StandardCharsets.US_ASCII);
    }

    static long offsetOf(long sequenceInFirstSegment) {
        return JournalSegment.HEADER_SIZE + (sequenceInFirstSegment - 1) * RECORD_SIZE;
    }

    static List<JournalRecord> readAll(Journal journal, long from) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        try (JournalReader reader = journal.read(from)) {
            while (reader.hasNext()) {
                records.add(reader.next());
            }
        }
        return records;
    }

    static List<Long> range(long first, long last) {
        List<Long> values = new ArrayList<>();
        for (long i = first; i <= last; i++) {
            values.add(i);
        }
        return values;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            channel.write(one, offset);
        }
    }

    List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static void awaitQueued(Journal journal, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (journal.queuedAppends() < expected) {
            assertThat(System.nanoTime()).as("%d appends queued in time", expected).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    /** A fixed clock that, once armed, blocks the first writer call until released and records its thread. */
    static final class GateClock extends Clock {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean armed;
        volatile Thread enteredBy;

        void arm() {
            armed = true;
        }

        @Override
        public long millis() {
            if (armed) {
                armed = false;
                enteredBy = Thread.currentThread();
                entered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return CLOCK.millis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
