package org.arca.store.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.arca.store.index.Index;
import org.arca.store.journal.Journal;
import org.arca.store.journal.JournalReader;
import org.arca.store.journal.JournalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies journal records to the index strictly in sequence order.
 *
 * <p>Ingest threads get their journal sequences from group commits and may reach this class
 * out of order. Records wait here until every lower sequence is applied, so the index's
 * last applied sequence always means "everything up to here is in the index". When the index
 * fails, or a sequence never arrives, the missing records are read back from the journal,
 * which is the truth (the index is derived from it).
 *
 * <p>Concurrent ingests share one SQLite transaction. Each hands over its change before it
 * waits for the monitor, so the thread that takes the monitor next applies every contiguous
 * change handed over meanwhile, and the others find theirs applied.
 *
 * <p>Thread-safe: every method synchronizes on this object, except that
 * {@link #submitAndAwait} puts its change into the concurrent map of pending changes first.
 */
public final class IndexUpdater {

    private static final Logger LOG = LoggerFactory.getLogger(IndexUpdater.class);
    private static final long GAP_WAIT_MS = 10_000;

    private final Index index;
    private final Journal journal;
    /** Changes handed over and not yet applied, by journal sequence. Written without the monitor. */
    private final Map<Long, IndexChange> pending = new ConcurrentSkipListMap<>();
    /** Sequences of durable records that change nothing in the index, such as Storage Commitment records. */
    private final Set<Long> pendingWithoutIndexChange = new HashSet<>();
    private long lastApplied;
    /** Written under the monitor; volatile so that {@link #replayIfNeeded} can skip the monitor when false. */
    private volatile boolean needsReplay;

    public IndexUpdater(Index index, Journal journal) {
        this.index = index;
        this.journal = journal;
        this.lastApplied = index.lastAppliedJournalSequence();
    }

    /**
     * Hands over the index change of a durable journal record and waits until the index
     * contains it. A failure of the index is logged and repaired later from the journal; it is
     * not the caller's failure, because the record is already durable.
     */
    public void submitAndAwait(long sequence, IndexChange change) throws InterruptedException {
        pending.put(sequence, change);
        synchronized (this) {
            awaitApplied(sequence);
        }
    }

    /** Applies what is contiguous, then waits until {@code sequence} is applied or a replay is needed. */
    private void awaitApplied(long sequence) throws InterruptedException {
        applyContiguousPending();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GAP_WAIT_MS);
        while (lastApplied < sequence && !needsReplay) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0) {
                LOG.warn("Journal record {} waited {} ms for lower sequences to reach the index (index is at {}); "
                        + "reading the gap back from the journal.", sequence, GAP_WAIT_MS, lastApplied);
                needsReplay = true;
                break;
            }
            wait(remainingMs);
        }
        if (needsReplay) {
            replayFromJournal();
        }

        // A replay may have applied this record from the journal before its change was put here.
        pending.remove(sequence);
    }

    /**
     * Hands over the sequence of a durable journal record that changes nothing in the index, so
     * that ingests with higher sequences do not wait for it. Returns at once.
     */
    public synchronized void submitWithoutIndexChange(long sequence) {
        if (sequence > lastApplied) {
            pendingWithoutIndexChange.add(sequence);
        }
        applyContiguousPending();
    }

    /**
     * Brings the index up to the end of the journal. Called at start and whenever an earlier
     * update failed, so that version and duplicate checks see every durable record.
     */
    public synchronized long replayFromJournal() {
        long before = lastApplied;
        try (JournalReader reader = journal.read(lastApplied + 1)) {
            while (reader.hasNext()) {
                JournalRecord record = reader.next();
                applyJournalRecord(record);
            }
            if (lastApplied > before) {
                index.markAppliedUpTo(lastApplied);
            }
            needsReplay = false;
            pending.keySet().removeIf(sequence -> sequence <= lastApplied);
            pendingWithoutIndexChange.removeIf(sequence -> sequence <= lastApplied);
        } catch (IOException | RuntimeException e) {
            needsReplay = true;
            LOG.error("Replaying the journal into the index stopped after sequence {}: {}. The journal is intact; "
                    + "the replay is retried before the next ingest.", lastApplied, e.toString(), e);
        }
        notifyAll();
        if (lastApplied > before) {
            LOG.info("Replayed journal records {} to {} into the index.", before + 1, lastApplied);
        }
        return lastApplied - before;
    }

    /**
     * Replays the journal first if an earlier index update failed. Ingests call it before every
     * version check; when no update failed it returns without taking the monitor, for which the
     * threads that apply records compete.
     */
    public void replayIfNeeded() {
        if (!needsReplay) {
            return;
        }
        synchronized (this) {
            if (needsReplay) {
                replayFromJournal();
            }
        }
    }

    public synchronized long lastAppliedSequence() {
        return lastApplied;
    }

    private void applyJournalRecord(JournalRecord record) throws IOException {
        JournalRecordApplier.changeOf(record).applyTo(index);
        lastApplied = record.sequence();
    }

    /**
     * Applies every pending record that follows the last applied one without a gap. Records that
     * waited for a lower sequence are applied with it in one SQLite transaction, so concurrent
     * ingests share one commit. All or nothing: after a failure none of them is applied, and they
     * are replayed from the journal.
     */
    private void applyContiguousPending() {
        List<IndexChange> changes = new ArrayList<>();
        long end = lastApplied;
        long lastChanging = lastApplied;
        while (!needsReplay) {
            long next = end + 1;
            if (pendingWithoutIndexChange.remove(next)) {
                end = next;
                continue;
            }
            IndexChange change = pending.remove(next);
            if (change == null) {
                break;
            }
            changes.add(change);
            end = next;
            lastChanging = next;
        }
        if (end > lastApplied) {
            if (end > lastChanging) {
                long upTo = end;
                changes.add(target -> target.markAppliedUpTo(upTo));
            }
            applyAll(changes, end);
        }
        notifyAll();
    }

    private void applyAll(List<IndexChange> changes, long end) {
        try {
            if (changes.size() == 1) {
                changes.get(0).applyTo(index);
            } else if (!changes.isEmpty()) {
                index.applyInOneTransaction(() -> changes.forEach(change -> change.applyTo(index)));
            }
            lastApplied = end;
        } catch (RuntimeException e) {
            needsReplay = true;
            LOG.error("Updating the index with journal records {} to {} failed: {}. The records are durable in the "
                    + "journal; the index is repaired from the journal before the next ingest.",
                    lastApplied + 1, end, e.toString(), e);
        }
    }
}
