package org.arca.store.blob.staging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one pack file, found by their headers. The scan does not stop at an invalid
 * header. It searches the rest of the file for the next valid header of the same pack, because a
 * damaged entry in the middle must not hide the acknowledged entries after it. The bytes of the
 * entries are not hashed here.
 *
 * @param entries every entry with a valid header whose bytes lie within the file, in file order
 * @param gaps the offsets where an invalid header was found and skipped, in file order; a gap after
 *     the last entry is the unused or torn end of the pack
 */
record PackScan(List<StagedLocation> entries, List<Long> gaps) {

    private static final int SEARCH_CHUNK_BYTES = 1024 * 1024;

    /**
     * Scans a pack file.
     *
     * @throws StagingFormatException if the file is not a version 1 staging pack
     */
    static PackScan of(FileChannel channel, String file) throws IOException {
        long size = channel.size();
        ByteBuffer packHeader = ByteBuffer.allocate(StagingFormat.PACK_HEADER_SIZE);
        StagingPack.readFully(channel, packHeader, 0);
        long number = StagingFormat.readPackHeader(packHeader.flip(), file);

        List<StagedLocation> entries = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        long offset = StagingFormat.PACK_HEADER_SIZE;
        while (offset + StagingFormat.ENTRY_HEADER_SIZE <= size) {
            StagedLocation location = entryAt(channel, number, offset, size);
            if (location != null) {
                entries.add(location);
                offset = location.endOffset();
                continue;
            }
            gaps.add(offset);
            offset = nextEntryOffset(channel, number, offset + 1, size);
            if (offset < 0) {
                break;
            }
        }
        return new PackScan(entries, gaps);
    }

    /** Returns the entry whose header starts at {@code offset}, or null if none valid does. */
    private static StagedLocation entryAt(FileChannel channel, long number, long offset, long size)
            throws IOException {
        ByteBuffer header = ByteBuffer.allocate(StagingFormat.ENTRY_HEADER_SIZE);
        StagingPack.readFully(channel, header, offset);
        if (header.hasRemaining()) {
            return null;
        }
        StagedLocation location = StagingFormat.readEntryHeader(header.flip(), number, offset);
        return location == null || location.endOffset() > size ? null : location;
    }

    /**
     * Returns the offset of the first valid entry header of pack {@code number} at or after
     * {@code from}, or -1. Reads the file in chunks and checks each place where the entry magic
     * appears.
     */
    private static long nextEntryOffset(FileChannel channel, long number, long from, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(SEARCH_CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = from; start + StagingFormat.ENTRY_HEADER_SIZE <= size; ) {
            chunk.clear();
            StagingPack.readFully(channel, chunk, start);
            chunk.flip();
            for (int i = 0; i + Integer.BYTES <= chunk.limit(); i++) {
                if (chunk.getInt(i) == StagingFormat.ENTRY_MAGIC && entryAt(channel, number, start + i, size) != null) {
                    return start + i;
                }
            }
            // The next chunk starts where a magic could begin that this chunk cut off.
            start += Math.max(1, chunk.limit() - Integer.BYTES + 1);
        }
        return -1;
    }
}
