package org.arca.store.blob.staging;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One blob in a staging pack whose entry is forced, until its blob file is written. A writable area
 * reads it through its open pack; a read-only area opens the pack file for each read.
 *
 * <p>Thread-safety: reads, {@link #writtenOut} and {@link #damaged} are guarded by the object's monitor, which the
 * write-out also holds, so no read overlaps the recycling of the pack.
 */
final class StagedBlob {

    private final StagingPack pack;
    private final Path packPath;
    private final StagedLocation location;
    private boolean writtenOut;
    private boolean damaged;

    private StagedBlob(StagingPack pack, Path packPath, StagedLocation location) {
        this.pack = pack;
        this.packPath = packPath;
        this.location = location;
    }

    static StagedBlob inOpenPack(StagingPack pack, StagedLocation location) {
        return new StagedBlob(pack, pack.path(), location);
    }

    static StagedBlob inPackFile(Path packPath, StagedLocation location) {
        return new StagedBlob(null, packPath, location);
    }

    StagingPack pack() {
        return pack;
    }

    Path packPath() {
        return packPath;
    }

    StagedLocation location() {
        return location;
    }

    int length() {
        return location.length();
    }

    synchronized boolean isWrittenOut() {
        return writtenOut;
    }

    synchronized void markWrittenOut() {
        writtenOut = true;
    }

    /** Returns whether its bytes were found not to hash to its id; it then stays in its pack. */
    synchronized boolean isDamaged() {
        return damaged;
    }

    /** Marks the blob as damaged and returns true the first time, so that the damage is reported once. */
    synchronized boolean markDamaged() {
        boolean first = !damaged;
        damaged = true;
        return first;
    }

    /**
     * Reads the staged bytes, or returns null once the blob is written out: its pack may then be
     * recycled and overwritten. Bytes read from a pack of another process are returned only if they
     * hash to the blob's id, because that process may recycle the pack during the read.
     */
    synchronized byte[] read() throws IOException {
        if (writtenOut) {
            return null;
        }
        if (pack != null) {
            try {
                return pack.read(location);
            } catch (java.nio.channels.ClosedChannelException e) {
                // An interrupt of another thread during its write closed the shared channel; the file is still there.
            }
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(packPath, StandardOpenOption.READ)) {
            bytes = StagingPack.readData(channel, location);
        }
        if (pack == null && !org.arca.store.blob.BlobId.ofDigest(StagingRecovery.sha256(bytes)).equals(location.id())) {
            return null;
        }
        return bytes;
    }

    /** Names the entry for log lines and reports. */
    String describe() {
        return packPath + " at offset " + location.entryOffset();
    }
}
