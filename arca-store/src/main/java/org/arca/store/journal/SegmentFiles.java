package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

import org.arca.store.fs.FileLayer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Listing and reading the segment files of a journal directory. Stateless and thread-safe. */
final class SegmentFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);

    private SegmentFiles() {
    }

    /** A segment file and the first sequence its name declares. */
    record SegmentFile(long firstSequence, Path path) {
    }

    /** Lists the segments of {@code directory} in sequence order; other files are logged and ignored. */
    static List<SegmentFile> list(Path directory) throws IOException {
        return list(FileLayer.nio(), directory);
    }

    static List<SegmentFile> list(FileLayer files, Path directory) throws IOException {
        List<SegmentFile> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = files.list(directory)) {
            for (Path entry : entries) {
                OptionalLong firstSequence = JournalSegment.parseFileName(entry.getFileName().toString());
                if (firstSequence.isPresent() && files.isRegularFile(entry)) {
                    segments.add(new SegmentFile(firstSequence.getAsLong(), entry));
                } else if (!entry.getFileName().toString().equals(JournalLock.FILE_NAME)) {
                    LOG.warn("Ignoring {} in the journal directory {}: it is not a segment file.", entry, directory);
                }
            }
        }
        segments.sort(Comparator.comparingLong(SegmentFile::firstSequence));
        return segments;
    }

    /**
     * Reads the first {@code sizeBytes} of a segment into memory. Recovery and verification read one
     * segment at a time. They use the heap, not a memory mapping, because a mapping keeps the file
     * and its file system busy until the garbage collector releases it.
     */
    static ByteBuffer readFully(Path segment, long sizeBytes) throws IOException {
        return readFully(FileLayer.nio(), segment, sizeBytes);
    }

    static ByteBuffer readFully(FileLayer files, Path segment, long sizeBytes) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(sizeBytes));
        try (FileChannel channel = files.open(segment, StandardOpenOption.READ)) {
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, bytes.position()) < 0) {
                    throw new java.io.EOFException("The journal segment " + segment + " ended at offset "
                            + bytes.position() + " while " + sizeBytes + " bytes were expected");
                }
            }
        }
        return bytes.flip();
    }
}
