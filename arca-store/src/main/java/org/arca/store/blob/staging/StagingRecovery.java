package org.arca.store.blob.staging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.arca.store.blob.BlobId;
import org.arca.store.fs.FileLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the staging packs that a previous run left: writes every intact entry to its blob file,
 * then deletes the pack. An entry is intact when its header is valid and its bytes hash to its
 * SHA-256. Entries are written in offset order and each force covers everything before it, so
 * after a process crash only the end of a pack can be torn, and what is torn there was never
 * acknowledged. An invalid entry followed by intact ones means either damage (the disk changed
 * forced bytes, so an acknowledged blob is lost) or a power loss that kept a later unforced write
 * but not an earlier one (nothing acknowledged is lost). The pack cannot tell which, so the
 * intact entries after it are still written out, the invalid ones are logged at ERROR with the way
 * to tell, and the pack is moved to {@code staging-damaged/} beside the staging directory for
 * inspection instead of being deleted.
 *
 * <p>A pack that is empty or has only zeros where its header belongs was being created when the
 * run stopped and contains no blob, so it is deleted. Any other file that is not a version 1 pack stops the
 * open with a {@link StagingFormatException}, because it may hold acknowledged blobs.
 */
final class StagingRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(StagingRecovery.class);

    private StagingRecovery() {
    }

    /** Lists the pack files of {@code directory} by pack number; other names are logged and left alone. */
    static TreeMap<Long, Path> listPacks(FileLayer files, Path directory) throws IOException {
        TreeMap<Long, Path> packs = new TreeMap<>();
        try (DirectoryStream<Path> entries = files.list(directory)) {
            for (Path entry : entries) {
                long number = StagingPack.numberOf(entry.getFileName().toString());
                if (number < 0) {
                    LOG.warn("Ignoring {} in the blob staging directory: it is not named like a staging pack.", entry);
                } else {
                    packs.put(number, entry);
                }
            }
        }
        return packs;
    }

    /**
     * The result of writing out the packs of a previous run.
     *
     * @param written the intact blobs found, each now in its file
     * @param mismatched the entries with a valid header whose bytes do not hash to their id. Each is
     *     damage if the journal names its blob, and a torn write that was never acknowledged otherwise.
     */
    record Recovered(int written, List<StagedDamage> mismatched) {
    }

    /**
     * Writes out every pack in {@code packs}, then deletes it or, if it is damaged, moves it to
     * {@code damagedDirectory}.
     */
    static Recovered writeOutAndDelete(FileLayer files, Map<Long, Path> packs, StagedBlobWriter writer,
            Path damagedDirectory) throws IOException {
        int written = 0;
        List<StagedDamage> mismatched = new ArrayList<>();
        for (Path pack : packs.values()) {
            List<Mismatch> found = new ArrayList<>();
            Outcome outcome = writeOut(files, pack, writer, found);
            written += outcome.written();
            if (outcome.damaged()) {
                Path movedTo = moveAsideAndFsync(files, pack, damagedDirectory);
                found.forEach(entry -> mismatched.add(entry.damage(movedTo + " at offset " + entry.offset())));
            } else {
                files.delete(pack);
                files.fsyncDirectory(pack.getParent());
                found.forEach(entry -> mismatched.add(entry.damage("offset " + entry.offset() + " of " + pack
                        + " (deleted after its intact blobs were written out)")));
            }
        }
        return new Recovered(written, List.copyOf(mismatched));
    }

    /** The result of writing out one pack: the intact blobs written out, and whether damage precedes any. */
    private record Outcome(int written, boolean damaged) {
    }

    /** An entry with a valid header whose bytes hash to {@code actual} instead of its id. */
    private record Mismatch(BlobId id, long offset, BlobId actual) {

        StagedDamage damage(String where) {
            return StagedDamage.hashMismatch(id, where, actual);
        }
    }

    private static Outcome writeOut(FileLayer files, Path pack, StagedBlobWriter writer, List<Mismatch> mismatched)
            throws IOException {
        try (FileChannel channel = files.open(pack, StandardOpenOption.READ)) {
            if (isEmptyLeftover(channel)) {
                LOG.info("Deleting staging pack {}: it was being created when the previous run stopped and "
                        + "contains no blob.", pack);
                return new Outcome(0, false);
            }
            PackScan scan = PackScan.of(channel, pack.toString());
            List<Long> invalidOffsets = new ArrayList<>(scan.gaps());
            int written = 0;
            long lastIntactOffset = -1;
            for (StagedLocation entry : scan.entries()) {
                byte[] bytes = StagingPack.readData(channel, entry);
                BlobId actual = BlobId.ofDigest(sha256(bytes));
                if (!actual.equals(entry.id())) {
                    invalidOffsets.add(entry.entryOffset());
                    mismatched.add(new Mismatch(entry.id(), entry.entryOffset(), actual));
                    LOG.warn("Staging pack {}: the entry of blob {} at offset {} does not hash to its SHA-256.", pack,
                            entry.id(), entry.entryOffset());
                    continue;
                }
                writer.writeFileAndFsync(entry.id(), bytes);
                written++;
                lastIntactOffset = entry.entryOffset();
            }
            List<Long> invalid = withoutUnusedEnd(channel, invalidOffsets, lastIntactOffset);
            return new Outcome(written, reportInvalid(pack, invalid, lastIntactOffset, written));
        }
    }

    /**
     * Returns the invalid offsets without those after the last intact entry where the entry header is
     * all zeros. That is the unused, preallocated end of the pack: the scan reports it as a gap, but
     * no entry was ever written there.
     */
    private static List<Long> withoutUnusedEnd(FileChannel channel, List<Long> invalidOffsets, long lastIntactOffset)
            throws IOException {
        List<Long> remaining = new ArrayList<>();
        for (long offset : invalidOffsets) {
            if (offset < lastIntactOffset || !isZeroEntryHeader(channel, offset)) {
                remaining.add(offset);
            }
        }
        return remaining;
    }

    private static boolean isZeroEntryHeader(FileChannel channel, long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(StagingFormat.ENTRY_HEADER_SIZE);
        StagingPack.readFully(channel, header, offset);
        header.flip();
        while (header.hasRemaining()) {
            if (header.get() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Logs the invalid entries of a pack and returns whether any precedes an intact one, which is
     * damage rather than a torn end.
     */
    private static boolean reportInvalid(Path pack, List<Long> invalidOffsets, long lastIntactOffset, int written) {
        List<Long> damaged = invalidOffsets.stream().filter(offset -> offset < lastIntactOffset).sorted().toList();
        boolean tornEnd = invalidOffsets.stream().anyMatch(offset -> offset > lastIntactOffset);
        if (!damaged.isEmpty()) {
            LOG.error("Staging pack {} may be damaged: invalid entries at offsets {} ({} in all), although intact "
                    + "entries follow them. Either the disk changed bytes after they were forced, and their acknowledged "
                    + "instances are lost unless sent again or restored from another copy, or a power loss cut writes "
                    + "that were never acknowledged. 'arca verify' tells: it names every stored instance whose blob is "
                    + "missing. Wrote out the {} intact blobs and kept the pack for inspection.", pack, damaged,
                    damaged.size(), written);
        } else if (tornEnd) {
            LOG.info("Staging pack {}: wrote out its {} intact blobs; its end holds an entry torn by the stop of the "
                    + "previous run, which was never acknowledged.", pack, written);
        } else {
            LOG.info("Staging pack {}: wrote out its {} blobs.", pack, written);
        }
        return !damaged.isEmpty();
    }

    /** Moves a damaged pack into {@code damagedDirectory} and returns its new path. */
    private static Path moveAsideAndFsync(FileLayer files, Path pack, Path damagedDirectory) throws IOException {
        Path target = damagedDirectory.resolve(pack.getFileName());
        org.arca.store.fs.Fsync.createDirectoriesAndFsync(files, damagedDirectory);
        files.rename(pack, target);
        files.fsyncDirectory(damagedDirectory);
        files.fsyncDirectory(pack.getParent());
        LOG.error("Moved the damaged staging pack {} to {}.", pack, target);
        return target;
    }

    /**
     * Returns whether the file is empty or contains only zeros where its header belongs: a pack whose
     * creation stopped before its header was written. Any other short file is not a pack.
     */
    private static boolean isEmptyLeftover(FileChannel channel) throws IOException {
        int length = (int) Math.min(channel.size(), StagingFormat.PACK_HEADER_SIZE);
        ByteBuffer header = ByteBuffer.allocate(length);
        while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
            // Reads until the header is complete; the size bounds the length.
        }
        for (byte b : header.array()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Builds the catalog of a read-only area: every entry with a valid header, bytes not hashed. */
    static List<StagedBlob> scanReadOnly(Map<Long, Path> packs) {
        List<StagedBlob> staged = new ArrayList<>();
        for (Path pack : packs.values()) {
            try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ)) {
                if (isEmptyLeftover(channel)) {
                    continue;
                }
                for (StagedLocation entry : StagingPack.scanEntries(channel, pack.toString())) {
                    staged.add(StagedBlob.inPackFile(pack, entry));
                }
            } catch (IOException e) {
                // The running node may have written the pack out and deleted it since it was listed.
                LOG.debug("Skipped staging pack {} while listing staged blobs: {}", pack, e.toString());
            }
        }
        return staged;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform must provide SHA-256", e);
        }
    }
}
