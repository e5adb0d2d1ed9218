package org.arca.store.blob.staging;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.arca.store.blob.BlobId;
import org.arca.store.fs.FileLayer;
import org.arca.store.fs.Fsync;
import org.arca.store.fs.StorageFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead area of the blob store for small blobs. A new small blob is appended to the
 * current staging pack and forced there: one {@code fdatasync} of a preallocated or recycled file,
 * which writes data only and is shared by concurrent ingests, instead of a new file's fsync plus a
 * directory fsync per blob. From then on the blob is durable and may be acknowledged. Two
 * background threads then write each staged blob to its own blob file (fsynced, as every blob file
 * is), and a pack whose blobs are all written out is recycled or deleted. So the staging area holds
 * only the recent backlog, and every other reader of the blob store still finds plain files.
 *
 * <p>On disk: {@code <blobs>/staging/pack-<number>.arcp} ({@link StagingFormat}). At open, packs
 * left by a previous run are written out and deleted before anything else happens
 * ({@link StagingRecovery}); each run writes new packs.
 *
 * <p>Invariants: a blob is in the catalog only after its entry is forced; it leaves the catalog
 * only after its blob file is fsynced with its directory; a pack is deleted only when none of its
 * entries is waiting.
 *
 * <p>Thread-safety: all public methods are safe for concurrent use.
 */
public final class StagingArea implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);

    /** The largest blob that is staged, in bytes; larger ones go straight to their own file. */
    public static final int MAX_STAGED_BLOB_BYTES = 1024 * 1024;

    /** The default size of a pack, in bytes: a new pack starts when the next entry would not fit. */
    public static final long DEFAULT_PACK_SIZE_BYTES = 64L * 1024 * 1024;

    /**
     * The maximum number of bytes waiting to be written out; past it, new blobs go straight to their own file. It
     * also bounds the work of the next start after a crash, which writes out the waiting blobs first.
     */
    static final long MAX_WAITING_BYTES = 256L * 1024 * 1024;

    /**
     * The backlog past which the write-out runs even while blobs keep arriving, in bytes. Below it,
     * the write-out waits for a pause of {@link #QUIET_MILLIS}, so that its fsyncs do not compete with
     * those of the ingests that wait for their response.
     */
    static final long WRITE_OUT_HIGH_WATER_BYTES = MAX_WAITING_BYTES / 2;

    /** How long no blob must arrive before the background work starts below the high-water mark. */
    static final long QUIET_MILLIS = 20;

    /** Write-out threads: fsyncs of different files overlap, and the file system commits them together. */
    private static final int WRITE_OUT_THREADS = 2;

    private static final long RETRY_DELAY_MILLIS = 1_000;

    /** How often the preparer checks again after a failure or for free space, in milliseconds. */
    private static final long PREPARE_RETRY_DELAY_MILLIS = 10_000;

    /**
     * Packs are preallocated, and blobs staged, only while the volume has this many packs' worth of
     * free space, so that neither zeros nor second copies take the last space that ingests need.
     */
    private static final long FREE_SPACE_IN_PACKS = 4;

    /** How long a free-space reading is used for the staging decision, in milliseconds. */
    private static final long SPACE_CHECK_MILLIS = 1_000;

    private final FileLayer files;
    private final Path directory;
    private final StagedBlobWriter writer;
    private final long packSizeBytes;
    private final Map<BlobId, StagedBlob> catalog = new ConcurrentHashMap<>();
    private final AtomicLong waitingBytes = new AtomicLong();
    private final LinkedBlockingQueue<StagedBlob> queue = new LinkedBlockingQueue<>();

    private final ReentrantLock appendLock = new ReentrantLock();
    /** Written under the append lock; read without it by the preparer, which only estimates how full it is. */
    private volatile StagingPack current;
    private volatile long lastStagedNanos = System.nanoTime();
    /** The last free-space reading; racy updates only repeat the reading. */
    private volatile boolean roomForStaging;
    private volatile long spaceCheckedNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private final AtomicLong nextPackNumber;
    private final List<Thread> writeOutThreads = new ArrayList<>();
    private volatile boolean closed;

    /** Entries of the previous run's packs that did not hash to their id; handed to the damage listener. */
    private final List<StagedDamage> mismatchedAtOpen = new ArrayList<>();
    private volatile StagedDamageListener damageListener;

    /** The preallocated or recycled pack that becomes current next; guarded by {@code this}. */
    private StagingPack spare;
    /** A pack whose blobs are all written out, kept to be recycled as the next spare; guarded by {@code this}. */
    private StagingPack recyclable;
    private Thread prepareThread;

    private StagingArea(FileLayer files, Path directory, StagedBlobWriter writer, long packSizeBytes,
            long nextPackNumber) {
        this.files = files;
        this.directory = directory;
        this.writer = writer;
        this.packSizeBytes = packSizeBytes;
        this.nextPackNumber = new AtomicLong(nextPackNumber);
    }

    /**
     * Opens the staging area for writing: creates {@code directory} if needed, writes out and deletes
     * the packs of a previous run.
     *
     * @param packSizeBytes the size of a preallocated pack
     * @throws StagingFormatException if a pack is of an unknown format; nothing is deleted then
     */
    public static StagingArea openAndWriteOut(FileLayer files, Path directory, StagedBlobWriter writer,
            long packSizeBytes) throws IOException {
        Fsync.createDirectoriesAndFsync(files, directory);
        TreeMap<Long, Path> packs = StagingRecovery.listPacks(files, directory);
        long next = packs.isEmpty() ? 1 : packs.lastKey() + 1;
        Path damagedDirectory = directory.resolveSibling(directory.getFileName() + "-damaged");
        StagingRecovery.Recovered recovered = StagingRecovery.writeOutAndDelete(files, packs, writer,
                damagedDirectory);
        if (recovered.written() > 0) {
            LOG.warn("The previous run stopped with {} staged blobs in its packs; each is now in its own blob file "
                    + "(written out, or found there already).", recovered.written());
        }
        StagingArea area = new StagingArea(files, directory, writer, packSizeBytes, next);
        area.mismatchedAtOpen.addAll(recovered.mismatched());
        return area;
    }

    /**
     * Opens the staging area of another process for reading: lists the staged blobs with a valid
     * entry header at this moment. Nothing is written or deleted, and the list is not refreshed.
     */
    public static StagingArea openReadOnly(Path directory) {
        StagingArea area = new StagingArea(FileLayer.nio(), directory, null, DEFAULT_PACK_SIZE_BYTES, 0);
        area.closed = true;
        if (!java.nio.file.Files.isDirectory(directory)) {
            return area;
        }
        try {
            for (StagedBlob blob : StagingRecovery.scanReadOnly(StagingRecovery.listPacks(FileLayer.nio(), directory))) {
                area.catalog.put(blob.location().id(), blob);
            }
        } catch (IOException e) {
            LOG.warn("Could not list the staging packs in {}; staged blobs will look missing: {}", directory,
                    e.toString());
        }
        return area;
    }

    /**
     * Returns whether a new blob of {@code length} bytes would be staged rather than written to its
     * own file. A staged blob needs its space twice until it is written out, so nothing is staged
     * while the volume has less than {@link #FREE_SPACE_IN_PACKS} packs' worth of free space.
     */
    public boolean accepts(long length) {
        return !closed && length <= MAX_STAGED_BLOB_BYTES && waitingBytes.get() + length <= MAX_WAITING_BYTES
                && StagingFormat.PACK_HEADER_SIZE + StagingFormat.ENTRY_HEADER_SIZE + length <= packSizeBytes
                && roomForStagingCached();
    }

    /**
     * Returns {@link #roomForPreallocation}, read from the file system again only when the last
     * reading is older than {@link #SPACE_CHECK_MILLIS}, so that ingests do not each call statfs.
     */
    private boolean roomForStagingCached() {
        long now = System.nanoTime();
        if (now - spaceCheckedNanos > TimeUnit.MILLISECONDS.toNanos(SPACE_CHECK_MILLIS)) {
            roomForStaging = roomForPreallocation();
            spaceCheckedNanos = now;
        }
        return roomForStaging;
    }

    /**
     * Appends a blob to the current pack and forces it (group commit); when this returns, the blob
     * is durable. The caller has computed {@code id} from exactly these bytes and must not change
     * them until this returns.
     */
    public void stageAndForce(BlobId id, byte[] bytes, int length) throws IOException {
        StagingPack pack;
        StagedLocation location;
        appendLock.lock();
        try {
            pack = packWithRoomFor(length);
            location = appendOrRetire(pack, id, bytes, length);
        } finally {
            appendLock.unlock();
        }

        try {
            pack.forceCoveringWrittenEntries();
        } catch (IOException e) {
            LOG.error("The force of staging pack {} failed ({}); blob {} is not acknowledged and the pack takes no more "
                    + "blobs.", pack.path(), e.toString(), id);
            settleFailed(pack);
            throw StorageFailures.classify(e, pack.path());
        }
        StagedBlob blob = StagedBlob.inOpenPack(pack, location);
        catalog.put(id, blob);
        waitingBytes.addAndGet(length);
        lastStagedNanos = System.nanoTime();
        enqueue(blob);
    }

    private StagedLocation appendOrRetire(StagingPack pack, BlobId id, byte[] bytes, int length) throws IOException {
        try {
            return pack.append(id, bytes, length);
        } catch (IOException e) {
            LOG.error("Writing blob {} to staging pack {} failed ({}); the pack takes no more blobs.", id,
                    pack.path(), e.toString());
            pack.poison(e);
            retireCurrent();
            throw StorageFailures.classify(e, pack.path());
        }
    }

    /** Returns the current pack if the entry fits and its forces succeed; otherwise starts a new one. */
    private StagingPack packWithRoomFor(int length) throws IOException {
        long entryBytes = StagingFormat.ENTRY_HEADER_SIZE + (long) length;
        if (current != null && (current.isPoisoned() || current.sizeBytes() + entryBytes > packSizeBytes)) {
            retireCurrent();
        }
        if (current == null) {
            current = takeSpare();
            startPreparingOnce();
        }
        if (current == null) {
            // No preallocated pack is ready yet: this one grows with each entry, and its forces are slower.
            try {
                current = StagingPack.createAndFsync(files, directory, nextPackNumber.getAndIncrement());
            } catch (IOException e) {
                LOG.error("Creating a staging pack in {} failed: {}", directory, e.toString());
                throw StorageFailures.classify(e, directory);
            }
        }
        return current;
    }

    private void retireCurrent() {
        StagingPack retired = current;
        current = null;
        if (retired != null && retired.seal()) {
            recycleOrDelete(retired);
        }
    }

    private void settleFailed(StagingPack pack) {
        pack.entryFailed();
        appendLock.lock();
        try {
            if (pack == current) {
                retireCurrent();
            } else if (pack.seal()) {
                recycleOrDelete(pack);
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Keeps a pack whose blobs are all written out for recycling, or deletes it; a poisoned pack is deleted. */
    private void recycleOrDelete(StagingPack pack) {
        synchronized (this) {
            if (!closed && recyclable == null && !pack.isPoisoned()) {
                recyclable = pack;
                notifyAll();
                return;
            }
        }
        deletePack(pack);
    }

    private synchronized StagingPack takeSpare() {
        StagingPack pack = spare;
        spare = null;
        notifyAll();
        return pack;
    }

    /**
     * Preallocates the first spare pack in the calling thread, then keeps spares ready in the
     * background, so that the first blobs already find a preallocated pack and no zeros are written
     * while they arrive. Without this call the preparation starts in the background at the first
     * staged blob, so that a store that stages nothing writes no pack.
     */
    public void prepareNowAndFsync() throws IOException {
        if (!roomForPreallocation()) {
            LOG.info("Not preallocating a staging pack in {}: less than {} bytes are free; packs grow with each "
                    + "entry until there is room.", directory, FREE_SPACE_IN_PACKS * packSizeBytes);
            startPreparingOnce();
            return;
        }
        StagingPack prepared = prepare(null);
        if (!offerSpare(prepared)) {
            deletePack(prepared);
            return;
        }
        startPreparingOnce();
    }

    private synchronized void startPreparingOnce() {
        if (prepareThread != null || closed) {
            return;
        }
        prepareThread = new Thread(this::runPrepare, "arca-staging-prepare");
        prepareThread.setDaemon(true);
        prepareThread.start();
    }

    /**
     * Keeps one spare pack ready, in the background: a recycled pack when one is free, otherwise a new
     * one filled with zeros. Writing the zeros here keeps that cost away from the ingests.
     */
    private void runPrepare() {
        while (true) {
            StagingPack candidate;
            synchronized (this) {
                while (!closed && spare != null) {
                    waitQuietly();
                }
                if (closed) {
                    return;
                }
                candidate = recyclable;
                recyclable = null;
            }
            if (candidate == null) {
                // Writing zeros competes with the ingests' forces; recycling a pack does not.
                awaitQuietUnless(this::currentPackHalfFull);
                if (!roomForPreallocation()) {
                    if (!pause(PREPARE_RETRY_DELAY_MILLIS)) {
                        return;
                    }
                    continue;
                }
            }
            try {
                StagingPack prepared = prepare(candidate);
                if (!offerSpare(prepared)) {
                    deletePack(prepared);
                    return;
                }
            } catch (IOException e) {
                LOG.warn("Preparing a staging pack in {} failed; new packs grow with each entry until a later "
                        + "attempt succeeds: {}", directory, e.toString());
                if (candidate != null) {
                    deletePack(candidate);
                }
                if (!pause(PREPARE_RETRY_DELAY_MILLIS)) {
                    return;
                }
            }
        }
    }

    private boolean roomForPreallocation() {
        try {
            return java.nio.file.Files.getFileStore(directory).getUsableSpace() >= FREE_SPACE_IN_PACKS * packSizeBytes;
        } catch (IOException e) {
            LOG.warn("Could not read the free space of {}; not preallocating a staging pack: {}", directory,
                    e.toString());
            return false;
        }
    }

    /** Waits {@code millis} unless the area closes first; returns whether it is still open. */
    private synchronized boolean pause(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        for (long left = millis; !closed && left > 0; left = deadline - System.currentTimeMillis()) {
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !closed;
    }

    private boolean currentPackHalfFull() {
        StagingPack pack = current;
        return pack == null || pack.sizeBytes() >= packSizeBytes / 2;
    }

    /**
     * Waits until no blob has been staged for {@link #QUIET_MILLIS}, unless {@code pressure} is true or
     * the area closes. Background work calls it so that the ingests waiting for a response get the disk
     * first. Each check sleeps at most {@link #QUIET_MILLIS}; the wait ends at the first pause in
     * arrivals, or when the backlog or the pack fills.
     */
    private void awaitQuietUnless(java.util.function.BooleanSupplier pressure) {
        long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        while (!closed && !pressure.getAsBoolean()) {
            long sinceLast = System.nanoTime() - lastStagedNanos;
            if (sinceLast >= quietNanos) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(quietNanos - sinceLast)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private StagingPack prepare(StagingPack candidate) throws IOException {
        long number = nextPackNumber.getAndIncrement();
        if (candidate != null) {
            return candidate.recycleAndFsync(number);
        }
        return StagingPack.createPreallocatedAndFsync(files, directory, number, packSizeBytes);
    }

    private synchronized boolean offerSpare(StagingPack prepared) {
        if (closed) {
            return false;
        }
        spare = prepared;
        return true;
    }

    private void waitQuietly() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Sets the listener for damaged staged blobs and first hands it, in the calling thread, the entries of
     * the previous run's packs that did not hash to their id. Until a listener is set, damage found by the
     * write-out is logged only.
     */
    public void onDamage(StagedDamageListener listener) {
        // Set first, so that damage the write-out finds meanwhile is not only logged.
        damageListener = listener;
        List<StagedDamage> atOpen;
        synchronized (this) {
            atOpen = List.copyOf(mismatchedAtOpen);
            mismatchedAtOpen.clear();
        }
        for (StagedDamage damage : atOpen) {
            notifyQuietly(listener, damage);
        }
    }

    private static void notifyQuietly(StagedDamageListener listener, StagedDamage damage) {
        try {
            listener.stagedBlobDamaged(damage);
        } catch (RuntimeException e) {
            LOG.error("Recording the damage of staged blob {} ({}) failed: {}", damage.id(), damage.where(),
                    e.toString(), e);
        }
    }

    /** Returns whether {@code id} is staged and not yet in its own file. */
    public boolean contains(BlobId id) {
        return catalog.containsKey(id);
    }

    /** Returns the size of a staged blob, or -1 if it is not staged. */
    public long sizeOf(BlobId id) {
        StagedBlob blob = catalog.get(id);
        return blob == null ? -1 : blob.length();
    }

    /** Returns the number of blobs staged and not yet written out. */
    public int waitingCount() {
        return catalog.size();
    }

    /** Returns the bytes of the blobs staged and not yet written out. */
    public long waitingBytes() {
        return waitingBytes.get();
    }

    /** Returns the ids of the blobs staged at this moment. */
    public Set<BlobId> stagedIds() {
        return Set.copyOf(catalog.keySet());
    }

    /** Names where a staged blob lies, for messages; null if it is not staged. */
    public String describe(BlobId id) {
        StagedBlob blob = catalog.get(id);
        return blob == null ? null : "staged blob " + id + " in " + blob.describe();
    }

    /**
     * Reads a staged blob's bytes, unverified. Returns null if it is not staged, or if it was written
     * out and its pack deleted while being read: the caller then finds it in its blob file.
     */
    public byte[] readIfStaged(BlobId id) throws IOException {
        StagedBlob blob = catalog.get(id);
        if (blob == null) {
            return null;
        }
        try {
            return blob.read();
        } catch (ClosedChannelException | java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Writes a staged blob to its blob file now, unless that is done already. */
    public void writeOutNow(BlobId id) throws IOException {
        StagedBlob blob = catalog.get(id);
        if (blob != null && blob.pack() != null) {
            writeOut(blob);
        }
    }

    /**
     * Writes every staged blob to its blob file now, in the calling thread. A damaged blob stays in its
     * pack, because writing it cannot succeed; it was reported when it was found.
     */
    public void writeOutAll() throws IOException {
        for (StagedBlob blob : catalog.values()) {
            if (blob.pack() != null && !blob.isDamaged()) {
                writeOut(blob);
            }
        }
    }

    /**
     * Writes a blob to its file and releases its entry.
     *
     * @throws StagedBlobDamagedException if its bytes no longer hash to its id: it stays staged, and the
     *     first such failure is logged and handed to the damage listener
     */
    private void writeOut(StagedBlob blob) throws IOException {
        synchronized (blob) {
            if (blob.isWrittenOut()) {
                return;
            }
            try {
                writer.writeFileAndFsync(blob.location().id(), blob.read());
            } catch (StagedBlobDamagedException e) {
                if (blob.markDamaged()) {
                    reportDamage(blob, e);
                }
                throw e;
            }
            blob.markWrittenOut();
        }
        catalog.remove(blob.location().id(), blob);
        waitingBytes.addAndGet(-blob.length());
        if (blob.pack().entryWrittenOut()) {
            recycleOrDelete(blob.pack());
        }
    }

    private void reportDamage(StagedBlob blob, StagedBlobDamagedException e) {
        StagedDamage damage = StagedDamage.hashMismatch(blob.location().id(), blob.describe(), e.actual());
        LOG.error("Staged blob {} in {} is damaged: {}. The disk changed its bytes after they were forced, so it is not "
                + "written out and stays in its pack until the next start. Restore its SOP Instance from another copy "
                + "or ask the sender to send it again.", damage.id(), damage.where(), damage.problem());
        StagedDamageListener listener = damageListener;
        if (listener != null) {
            notifyQuietly(listener, damage);
        }
    }

    private void deletePack(StagingPack pack) {
        try {
            pack.deleteAndFsync();
            LOG.debug("Deleted staging pack {}: all its blobs are in their blob files.", pack.path());
        } catch (IOException e) {
            LOG.warn("Deleting staging pack {} failed; its blobs are in their blob files already, and the next start "
                    + "deletes it: {}", pack.path(), e.toString());
        }
    }

    private synchronized void enqueue(StagedBlob blob) {
        queue.add(blob);
        if (writeOutThreads.isEmpty() && !closed) {
            for (int i = 1; i <= WRITE_OUT_THREADS; i++) {
                Thread thread = new Thread(this::runWriteOut, "arca-blob-writeout-" + i);
                thread.setDaemon(true);
                thread.start();
                writeOutThreads.add(thread);
            }
        }
    }

    /** Writes out queued blobs in the background, and tries a failed one again after a pause. */
    private void runWriteOut() {
        while (!closed || !queue.isEmpty()) {
            StagedBlob blob;
            try {
                blob = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (blob == null) {
                continue;
            }
            awaitQuietUnless(() -> waitingBytes.get() >= WRITE_OUT_HIGH_WATER_BYTES);
            try {
                writeOut(blob);
            } catch (StagedBlobDamagedException e) {
                // Reported by writeOut; another try would read the same damaged bytes.
                continue;
            } catch (IOException e) {
                LOG.error("Writing staged blob {} from {} to its blob file failed; it stays staged and durable, and "
                        + "is tried again in {} ms: {}", blob.location().id(), blob.describe(), RETRY_DELAY_MILLIS,
                        e.toString());
                queue.add(blob);
                if (!pauseBeforeRetry()) {
                    return;
                }
            }
        }
    }

    private boolean pauseBeforeRetry() {
        try {
            Thread.sleep(RETRY_DELAY_MILLIS);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops taking blobs, writes out every staged blob (a failure leaves it in its pack for the next
     * start) and closes the packs.
     */
    @Override
    public void close() {
        List<Thread> writeOut;
        synchronized (this) {
            closed = true;
            writeOut = List.copyOf(writeOutThreads);
            notifyAll();
        }

        Thread preparer;
        synchronized (this) {
            preparer = prepareThread;
        }
        if (preparer != null) {
            joinQuietly(preparer);
        }
        // Not interrupted: an interrupt during a FileChannel call would close the shared pack channel.
        // The threads drain the queue and stop; a blob that keeps failing ends its retries at once.
        for (Thread thread : writeOut) {
            joinQuietly(thread);
        }

        try {
            writeOutAll();
        } catch (IOException e) {
            LOG.error("Writing the staged blobs out at close failed; they stay in {} and are written out at the next "
                    + "start: {}", directory, e.toString());
        }

        appendLock.lock();
        try {
            retireCurrent();
        } finally {
            appendLock.unlock();
        }

        for (StagedBlob blob : catalog.values()) {
            if (blob.pack() != null) {
                blob.pack().closeQuietly();
            }
        }
        deleteUnused();
    }

    /** Deletes the spare and the recyclable pack; neither contains a blob that is not written out. */
    private void deleteUnused() {
        StagingPack unusedSpare;
        StagingPack unusedRecyclable;
        synchronized (this) {
            unusedSpare = spare;
            unusedRecyclable = recyclable;
            spare = null;
            recyclable = null;
        }
        for (StagingPack pack : new StagingPack[] {unusedSpare, unusedRecyclable}) {
            if (pack != null) {
                deletePack(pack);
            }
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
