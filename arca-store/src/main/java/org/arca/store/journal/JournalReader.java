package org.arca.store.journal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import org.arca.store.StorageException;
import org.arca.store.fs.StorageFailures;
import org.arca.store.journal.JournalSegment.ParsedRecord;
import org.arca.store.journal.JournalSegment.SegmentHeader;
import org.arca.store.journal.JournalWriter.DurableState;
import org.arca.store.journal.SegmentFiles.SegmentFile;

/**
 * Iterates the records of a journal in sequence order, across segments, from a given sequence up
 * to the last record that was durable when the reader was created. Every record's length is capped
 * before allocation, and its CRC, sequence and hash chain are checked as it is read; a defect throws
 * {@link JournalCorruptionException}. Segments are streamed through a buffer, one open at a time.
 *
 * <p>Thread-safety: not thread-safe; use one reader per thread. Readers run concurrently with
 * appends and never see a record that has not been forced. Close the reader to close its file.
 */
public final class JournalReader implements AutoCloseable {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final List<SegmentFile> segments;
    private final long lastSequence;
    private final long endOfLastSegment;
    private final long fromSequence;
    private final boolean lastSegmentMayGrow;

    private int segmentIndex;
    private FileChannel channel;
    private DataInputStream in;
    private long offset;
    private long limit;
    private JournalRecord previous;
    private JournalRecord next;

    /**
     * Opens a reader over {@code state}. {@code lastSegmentMayGrow} is true when no lock keeps a
     * writer from appending to the last segment while it is read; then a zero length field ends that
     * segment without a check that the bytes after it are zero, since a writer may be filling them.
     */
    JournalReader(DurableState state, long fromSequence, boolean lastSegmentMayGrow) {
        this.lastSegmentMayGrow = lastSegmentMayGrow;
        this.segments = state.segments();
        this.lastSequence = state.lastSequence();
        this.endOfLastSegment = state.endOfLastSegment();
        this.fromSequence = Math.max(1, fromSequence);
        this.segmentIndex = firstSegmentIndex(segments, this.fromSequence) - 1;
    }

    private static int firstSegmentIndex(List<SegmentFile> segments, long fromSequence) {
        int index = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).firstSequence() <= fromSequence) {
                index = i;
            }
        }
        return index;
    }

    /** Returns whether another record exists, reading ahead if needed. */
    public boolean hasNext() throws IOException {
        while (next == null) {
            JournalRecord record = readNext();
            if (record == null) {
                return false;
            }
            if (record.sequence() >= fromSequence) {
                next = record;
            }
        }
        return true;
    }

    /**
     * Returns the next record.
     *
     * @throws NoSuchElementException if {@link #hasNext()} returns false
     */
    public JournalRecord next() throws IOException {
        if (!hasNext()) {
            throw new NoSuchElementException("No journal record after sequence "
                    + (previous == null ? fromSequence - 1 : previous.sequence()));
        }
        JournalRecord record = next;
        next = null;
        return record;
    }

    /** Closes the open segment file. Idempotent. */
    @Override
    public void close() throws IOException {
        segmentIndex = segments.size();
        closeSegment();
    }

    private JournalRecord readNext() throws IOException {
        if (previous != null && previous.sequence() >= lastSequence) {
            return null;
        }
        while (in == null || offset >= limit || skipZeroFilledTail(segments.get(segmentIndex))) {
            closeSegment();
            segmentIndex++;
            if (segmentIndex >= segments.size()) {
                return null;
            }
            openSegment(segments.get(segmentIndex));
        }
        return readRecord(segments.get(segmentIndex));
    }

    /**
     * Checks whether every byte from the offset to the limit is zero (the preallocated rest of the
     * segment) and, if so, reads past it. Leaves the stream where it was otherwise.
     *
     * @throws JournalCorruptionException if the bytes start with a zero length field but are not all zero
     */
    private boolean skipZeroFilledTail(SegmentFile file) throws IOException {
        int peek = (int) Math.min(JournalSegment.LENGTH_FIELD_SIZE, limit - offset);
        in.mark(peek);
        byte[] first = readBytes(file, peek);
        if (!isZero(first, first.length)) {
            in.reset();
            return false;
        }
        if (lastSegmentMayGrow && segmentIndex == segments.size() - 1) {
            offset = limit;
            return true;
        }

        byte[] chunk = new byte[64 * 1024];
        for (long at = offset + peek; at < limit; ) {
            int length = (int) Math.min(chunk.length, limit - at);
            in.readFully(chunk, 0, length);
            if (!isZero(chunk, length)) {
                throw new JournalCorruptionException(file.path(), offset, -1, "a zero record length at offset "
                        + offset + " is followed by non-zero bytes before offset " + (at + length)
                        + ", so this is not the zero-filled end of the segment");
            }
            at += length;
        }
        offset = limit;
        return true;
    }

    private static boolean isZero(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void openSegment(SegmentFile file) throws IOException {
        boolean last = segmentIndex == segments.size() - 1;
        try {
            limit = last ? endOfLastSegment : Files.size(file.path());
            channel = FileChannel.open(file.path(), StandardOpenOption.READ);
            in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), BUFFER_SIZE));
        } catch (IOException e) {
            throw StorageFailures.classify(e, file.path());
        }
        if (limit < JournalSegment.HEADER_SIZE) {
            throw new JournalCorruptionException(file.path(), 0, file.firstSequence(),
                    "the segment has " + limit + " bytes, fewer than its header");
        }

        ByteBuffer header = ByteBuffer.wrap(readBytes(file, JournalSegment.HEADER_SIZE));
        SegmentHeader parsed = JournalSegment.readHeader(header, file.path());
        if (parsed.firstSequence() != file.firstSequence()) {
            throw new JournalCorruptionException(file.path(), 0, file.firstSequence(),
                    "the header declares first sequence " + parsed.firstSequence());
        }
        offset = JournalSegment.HEADER_SIZE;
    }

    private JournalRecord readRecord(SegmentFile file) throws IOException {
        long expected = previous == null ? file.firstSequence() : previous.sequence() + 1;
        if (limit - offset < JournalSegment.MIN_RECORD_SIZE) {
            throw new JournalCorruptionException(file.path(), offset, expected,
                    (limit - offset) + " bytes at the end of the segment are too few for a record");
        }

        byte[] lengthField = readBytes(file, JournalSegment.LENGTH_FIELD_SIZE);
        int length = ByteBuffer.wrap(lengthField).getInt();
        if (length < JournalSegment.MIN_LENGTH || length > JournalSegment.MAX_LENGTH
                || length > limit - offset - JournalSegment.LENGTH_FIELD_SIZE) {
            throw new JournalCorruptionException(file.path(), offset, expected, "invalid record length " + length);
        }
        ByteBuffer bytes = ByteBuffer.allocate(JournalSegment.LENGTH_FIELD_SIZE + length);
        bytes.put(lengthField);
        in.readFully(bytes.array(), JournalSegment.LENGTH_FIELD_SIZE, length);

        ParsedRecord parsed = JournalSegment.parseRecord(bytes, 0);
        if (parsed.record() == null) {
            throw new JournalCorruptionException(file.path(), offset, expected, parsed.defect().toString());
        }
        JournalRecord record = parsed.record().record();
        checkChain(file, record, expected);
        offset += bytes.capacity();
        previous = record;
        return record;
    }

    private void checkChain(SegmentFile file, JournalRecord record, long expected) throws JournalCorruptionException {
        if (previous == null) {
            return;
        }
        if (record.sequence() != expected) {
            throw new JournalCorruptionException(file.path(), offset, expected, "found sequence " + record.sequence());
        }
        if (!Arrays.equals(record.previousHash(), previous.hash())) {
            throw new JournalCorruptionException(file.path(), offset, expected,
                    "the record does not carry the SHA-256 of the previous record (broken hash chain)");
        }
    }

    private byte[] readBytes(SegmentFile file, int count) throws IOException {
        byte[] bytes = new byte[count];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new JournalCorruptionException(file.path(), offset, -1, "the segment ends unexpectedly");
        } catch (IOException e) {
            throw StorageFailures.classify(e, file.path());
        }
        return bytes;
    }

    private void closeSegment() throws StorageException {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw StorageFailures.classify(e, segments.get(Math.min(segmentIndex, segments.size() - 1)).path());
        } finally {
            channel = null;
            in = null;
        }
    }
}
