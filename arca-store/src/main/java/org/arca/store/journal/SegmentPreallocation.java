package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writing zeros into journal segment files: to preallocate a segment up to its full size, and to
 * cut a torn or failed write back to zeros. Uses 1 MiB writes from one shared direct buffer of
 * zeros. Stateless and thread-safe.
 */
final class SegmentPreallocation {

    private static final int WRITE_SIZE = 1024 * 1024;

    /** Never written after class initialization; each write reads it through its own duplicate. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(WRITE_SIZE);

    private SegmentPreallocation() {
    }

    /** Writes zeros to [{@code from}, {@code to}) without forcing them. */
    static void writeZeros(FileChannel channel, long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            ByteBuffer chunk = ZEROS.duplicate().clear().limit((int) Math.min(WRITE_SIZE, to - at));
            while (chunk.hasRemaining()) {
                at += channel.write(chunk, at);
            }
        }
    }
}
