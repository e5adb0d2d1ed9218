package org.arca.store.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.arca.store.index.Index;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexUpdaterTest {

    private static final long THREAD_WAIT_LIMIT_MS = 10_000;

    @TempDir
    Path temp;

    private Journal journal;
    private Index index;
    private IndexUpdater updater;
    private final List<Long> applied = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() throws Exception {
        journal = Journal.open(temp.resolve("journal"), Clock.systemUTC(),
                JournalOptions.defaults().withSegmentSizeBytes(64 * 1024));
        index = Index.open(temp.resolve("index.sqlite"));
        updater = new IndexUpdater(index, journal);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
        journal.close();
    }

    /** Records that arrive before a lower sequence wait for it, then apply with it in sequence order. */
    @Test
    void outOfOrderRecordsApplyInOrder() throws Exception {
        long first = append();
        long second = append();
        long third = append();

        Thread waitingThird = submitInThread(third, false);
        awaitWaiting(waitingThird);
        Thread waitingSecond = submitInThread(second, false);
        awaitWaiting(waitingSecond);
        updater.submitAndAwait(first, recording(first, false));
        waitingThird.join(THREAD_WAIT_LIMIT_MS);
        waitingSecond.join(THREAD_WAIT_LIMIT_MS);

        assertThat(applied).containsExactly(first, second, third);
        assertThat(updater.lastAppliedSequence()).isEqualTo(third);
    }

    /**
     * Records handed over while another thread owns the updater's monitor are applied in one batch
     * by the next thread that takes it. Their own threads then find them applied.
     */
    @Test
    void waitingRecordsApplyInNextBatch() throws Exception {
        long second = append();
        long third = append();
        long neutral = append();
        Map<Long, String> applyingThread = new ConcurrentHashMap<>();
        List<Thread> submitting = new ArrayList<>();

        synchronized (updater) {
            for (long sequence : new long[] {second, third}) {
                Thread thread = new Thread(() -> submitQuietly(sequence, target -> {
                    applyingThread.put(sequence, Thread.currentThread().getName());
                    applied.add(sequence);
                }), "submit-" + sequence);
                thread.start();
                awaitState(thread, Thread.State.BLOCKED);
                submitting.add(thread);
            }
            // Enters the monitor again from this thread, which then applies what is pending.
            updater.submitWithoutIndexChange(neutral);
        }
        for (Thread thread : submitting) {
            thread.join(THREAD_WAIT_LIMIT_MS);
        }

        String self = Thread.currentThread().getName();
        assertThat(applied).containsExactly(second, third);
        assertThat(applyingThread.get(second)).as("thread that applied the first waiting record").isEqualTo(self);
        assertThat(applyingThread.get(third)).as("thread that applied the second waiting record").isEqualTo(self);
        assertThat(updater.lastAppliedSequence()).isEqualTo(neutral);
    }

    /** A failure in a batch of records leaves none of them applied; they are replayed from the journal. */
    @Test
    void failedBatchIsReplayedFromJournal() throws Exception {
        long first = append();
        long second = append();

        Thread waitingSecond = submitInThread(second, true);
        awaitWaiting(waitingSecond);
        updater.submitAndAwait(first, recording(first, false));
        waitingSecond.join(THREAD_WAIT_LIMIT_MS);

        assertThat(waitingSecond.isAlive()).as("thread of the failing record").isFalse();
        assertThat(updater.lastAppliedSequence()).as("sequence after the replay").isEqualTo(second);
    }

    /** A record that changes nothing in the index still advances the sequence that the index stores. */
    @Test
    void recordWithoutIndexChangeIsStoredAsApplied() throws Exception {
        long changing = append();
        long neutral = append();

        updater.submitAndAwait(changing, recording(changing, false));
        updater.submitWithoutIndexChange(neutral);

        assertThat(updater.lastAppliedSequence()).as("sequence in memory").isEqualTo(neutral);
        assertThat(index.lastAppliedJournalSequence()).as("sequence stored in the index").isEqualTo(neutral);
    }

    /** A replay that ends with records that change nothing in the index stores the last one as applied. */
    @Test
    void replayStoresSequenceOfNeutralTail() throws Exception {
        append();
        long last = append();

        updater.replayFromJournal();

        assertThat(index.lastAppliedJournalSequence()).as("sequence stored in the index").isEqualTo(last);
    }

    private long append() throws Exception {
        return journal.appendAndForce(JournalRecordTypes.STORAGE_COMMITMENT_REQUESTED,
                "{}".getBytes(StandardCharsets.UTF_8));
    }

    private IndexChange recording(long sequence, boolean fail) {
        return target -> {
            if (fail) {
                throw new IllegalStateException("injected failure of journal record " + sequence);
            }
            applied.add(sequence);
        };
    }

    private Thread submitInThread(long sequence, boolean fail) {
        Thread thread = new Thread(() -> {
            try {
                updater.submitAndAwait(sequence, recording(sequence, fail));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "submit-" + sequence);
        thread.start();
        return thread;
    }

    private void submitQuietly(long sequence, IndexChange change) {
        try {
            updater.submitAndAwait(sequence, change);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the thread blocks in submitAndAwait, which means its record is pending. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        awaitState(thread, Thread.State.TIMED_WAITING);
    }

    /** Waits until the thread is in {@code state}. BLOCKED here means it waits for the updater's monitor. */
    private static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.currentTimeMillis() + THREAD_WAIT_LIMIT_MS;
        while (thread.getState() != state) {
            assertThat(System.currentTimeMillis()).as("time until %s waits", thread.getName()).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
