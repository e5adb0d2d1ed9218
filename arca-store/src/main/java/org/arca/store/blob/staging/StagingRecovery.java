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
 * SHA-256. The first entry that is not ends the pack: entries are written in offset order and each
 * force covers everything before it, so what follows a torn entry was never acknowledged.
 *
 * <p>A pack shorter than its header, or whose header is all zeros, was being created when the run
 * stopped and contains no blob, so it is deleted. Any other file that is not a version 1 pack stops the
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

    /** Writes out and deletes every pack in {@code packs}; returns the number of blobs written out. */
    static int writeOutAndDelete(FileLayer files, Map<Long, Path> packs, StagedBlobWriter writer) throws IOException {
        int written = 0;
        for (Path pack : packs.values()) {
            written += writeOut(files, pack, writer);
            files.delete(pack);
            files.fsyncDirectory(pack.getParent());
        }
        return written;
    }

    private static int writeOut(FileLayer files, Path pack, StagedBlobWriter writer) throws IOException {
        try (FileChannel channel = files.open(pack, StandardOpenOption.READ)) {
            if (isEmptyLeftover(channel)) {
                LOG.info("Deleting staging pack {}: it was being created when the previous run stopped and holds "
                        + "no blob.", pack);
                return 0;
            }
            List<StagedLocation> entries = StagingPack.scanEntries(channel, pack.toString());
            int written = 0;
            for (StagedLocation entry : entries) {
                byte[] bytes = StagingPack.readData(channel, entry);
                if (!BlobId.ofDigest(sha256(bytes)).equals(entry.id())) {
                    LOG.warn("Staging pack {} ends with a torn entry at offset {} (blob {}); it and anything after it "
                            + "were never acknowledged.", pack, entry.entryOffset(), entry.id());
                    break;
                }
                writer.writeFileAndFsync(entry.id(), bytes);
                written++;
            }
            LOG.info("Wrote {} blobs from staging pack {} to their blob files; deleting the pack.", written, pack);
            return written;
        }
    }

    private static boolean isEmptyLeftover(FileChannel channel) throws IOException {
        if (channel.size() < StagingFormat.PACK_HEADER_SIZE) {
            return true;
        }
        ByteBuffer header = ByteBuffer.allocate(StagingFormat.PACK_HEADER_SIZE);
        while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
            // Reads until the header is complete; the size check above guarantees it is there.
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
