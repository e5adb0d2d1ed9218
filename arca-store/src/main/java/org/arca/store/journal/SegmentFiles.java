package org.arca.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

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
        List<SegmentFile> segments = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                OptionalLong firstSequence = JournalSegment.parseFileName(entry.getFileName().toString());
                if (firstSequence.isPresent() && Files.isRegularFile(entry)) {
                    segments.add(new SegmentFile(firstSequence.getAsLong(), entry));
                } else {
                    LOG.warn("Ignoring {} in the journal directory {}: it is not a segment file.", entry, directory);
                }
            }
        }
        segments.sort(Comparator.comparingLong(SegmentFile::firstSequence));
        return segments;
    }

    /**
     * Maps the first {@code sizeBytes} of a segment read-only. The mapping must not be read beyond a
     * position that a later truncation removes; readers therefore stop at the durable end.
     */
    static ByteBuffer mapReadOnly(Path segment, long sizeBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, sizeBytes);
        }
    }
}
