package org.arca.store.fs.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The disk states that a power loss after the first {@code crashPoint} recorded operations can
 * leave, built by replaying a subset of them. An operation is durable at the crash point if an
 * fsync of its inode (its file for data, its directory for a name) that began after it returned
 * before the crash point. Every durable operation is in every state. Each other operation (pending)
 * may be lost, so the states differ in which pending operations they keep:
 *
 * <ul>
 *   <li>{@link Kind#DURABLE_ONLY}: every pending operation is lost;
 *   <li>{@link Kind#ALL}: none is lost, which is what a process kill leaves;
 *   <li>{@link Kind#SUBSET}: a random subset survives, applied in recorded order, so later writes
 *       can survive without earlier ones and a rename can survive without the data written
 *       before it (reordering);
 *   <li>{@link Kind#TORN}: a random subset survives, and the last pending write is torn at a
 *       512-byte sector boundary of the file: only its first sectors survive;
 *   <li>{@link Kind#SECTORS}: a random subset survives, and of the last pending write a random
 *       subset of its 512-byte sectors survives, because a device may persist the sectors of one
 *       write in any order.
 * </ul>
 *
 * A rename whose directory was not fsynced is two pending operations (the new name and the removal
 * of the old one), so states hold the old name, the new one, both or neither.
 */
final class CrashStates {

    static final int SECTOR_SIZE = 512;

    enum Kind { DURABLE_ONLY, ALL, SUBSET, TORN, SECTORS }

    private CrashStates() {
    }

    /**
     * The operations before {@code crashPoint} that survive, and the write that survives only in
     * part: its first {@code tornLength} bytes, or with {@link Kind#SECTORS} the sectors that a
     * {@link Random} seeded with {@code sectorSeed} picks.
     */
    record CrashState(int crashPoint, Kind kind, boolean[] survives, int tornWrite, int tornLength, long sectorSeed) {

        private String tornDescription() {
            if (tornWrite < 0) {
                return "";
            }
            if (kind == Kind.SECTORS) {
                return ", write " + tornWrite + " keeps the sectors of seed " + sectorSeed;
            }
            return ", write " + tornWrite + " torn after " + tornLength + " bytes";
        }

        String describe() {
            int keptCount = 0;
            for (boolean survived : survives) {
                keptCount += survived ? 1 : 0;
            }
            int lostCount = survives.length - keptCount;
            return kind + " state at operation " + crashPoint + " (" + keptCount + " operations kept, " + lostCount
                    + " lost" + tornDescription()
                    + ")";
        }
    }

    /** Returns which of the first {@code crashPoint} operations are durable at that point. */
    static boolean[] durable(List<FileOperation> operations, int crashPoint) {
        Map<Long, Integer> syncedBefore = new HashMap<>();
        for (int i = 0; i < crashPoint; i++) {
            if (operations.get(i) instanceof FileOperation.Sync sync) {
                syncedBefore.merge(sync.inode(), sync.coversBefore(), Math::max);
            }
        }
        boolean[] durable = new boolean[crashPoint];
        for (int i = 0; i < crashPoint; i++) {
            FileOperation operation = operations.get(i);
            long inode = operation.durableWith();
            durable[i] = inode < 0 || i < syncedBefore.getOrDefault(inode, 0);
        }
        return durable;
    }

    static CrashState state(List<FileOperation> operations, int crashPoint, Kind kind, Random random) {
        boolean[] survives = durable(operations, crashPoint);
        int tornWrite = -1;
        int tornLength = 0;
        for (int i = 0; i < crashPoint; i++) {
            if (!survives[i]) {
                survives[i] = switch (kind) {
                    case DURABLE_ONLY -> false;
                    case ALL -> true;
                    case SUBSET, TORN, SECTORS -> random.nextBoolean();
                };
            }
        }
        if (kind == Kind.TORN || kind == Kind.SECTORS) {
            boolean[] durable = durable(operations, crashPoint);
            for (int i = crashPoint - 1; i >= 0; i--) {
                if (!durable[i] && operations.get(i) instanceof FileOperation.Write write) {
                    tornWrite = i;
                    tornLength = tornLength(write, random);
                    survives[i] = false;
                    break;
                }
            }
        }
        return new CrashState(crashPoint, kind, survives, tornWrite, tornLength, random.nextLong());
    }

    /** Picks how many bytes of {@code write} survive: up to a sector boundary of the file inside it. */
    private static int tornLength(FileOperation.Write write, Random random) {
        long start = write.offset();
        long end = start + write.bytes().length;
        long firstBoundary = (start / SECTOR_SIZE + 1) * SECTOR_SIZE;
        if (firstBoundary >= end) {
            return 0;
        }
        long boundaries = (end - 1 - firstBoundary) / SECTOR_SIZE + 1;
        long boundary = firstBoundary + SECTOR_SIZE * (long) random.nextInt((int) Math.min(boundaries, Integer.MAX_VALUE));
        return (int) (boundary - start);
    }

    /** Writes the files and directories of {@code state} below {@code target}, which must exist and be empty. */
    static void materialise(List<FileOperation> operations, CrashState state, Path target) throws IOException {
        Map<Long, Map<String, Long>> directories = new HashMap<>();
        Map<Long, byte[]> files = new HashMap<>();
        directories.put(0L, new LinkedHashMap<>());

        for (int i = 0; i < state.crashPoint(); i++) {
            FileOperation operation = operations.get(i);
            if (i == state.tornWrite() && operation instanceof FileOperation.Write write) {
                for (FileOperation.Write part : survivingParts(write, state)) {
                    apply(part, directories, files);
                }
            } else if (state.survives()[i]) {
                apply(operation, directories, files);
            }
        }
        writeTree(0L, target, directories, files);
    }

    /** Splits a torn write into the parts that survive it. */
    private static List<FileOperation.Write> survivingParts(FileOperation.Write write, CrashState state) {
        if (state.kind() != Kind.SECTORS) {
            return List.of(new FileOperation.Write(write.inode(), write.offset(),
                    Arrays.copyOf(write.bytes(), state.tornLength())));
        }
        Random sectors = new Random(state.sectorSeed());
        List<FileOperation.Write> parts = new ArrayList<>();
        long end = write.offset() + write.bytes().length;
        for (long start = write.offset(); start < end; ) {
            long next = Math.min(end, (start / SECTOR_SIZE + 1) * SECTOR_SIZE);
            if (sectors.nextBoolean()) {
                int from = (int) (start - write.offset());
                int to = (int) (next - write.offset());
                parts.add(new FileOperation.Write(write.inode(), start, Arrays.copyOfRange(write.bytes(), from, to)));
            }
            start = next;
        }
        return parts;
    }

    private static void apply(FileOperation operation, Map<Long, Map<String, Long>> directories,
            Map<Long, byte[]> files) {
        if (operation instanceof FileOperation.Link link) {
            if (link.isDirectory()) {
                directories.putIfAbsent(link.inode(), new LinkedHashMap<>());
            } else {
                files.putIfAbsent(link.inode(), new byte[0]);
            }
            directories.computeIfAbsent(link.directory(), d -> new LinkedHashMap<>()).put(link.name(), link.inode());
        } else if (operation instanceof FileOperation.Unlink unlink) {
            Map<String, Long> entries = directories.get(unlink.directory());
            if (entries != null) {
                entries.remove(unlink.name());
            }
        } else if (operation instanceof FileOperation.Write write) {
            byte[] content = files.getOrDefault(write.inode(), new byte[0]);
            long end = write.offset() + write.bytes().length;
            if (end > content.length) {
                content = Arrays.copyOf(content, Math.toIntExact(end));
            }
            System.arraycopy(write.bytes(), 0, content, Math.toIntExact(write.offset()), write.bytes().length);
            files.put(write.inode(), content);
        } else if (operation instanceof FileOperation.Truncate truncate) {
            byte[] content = files.getOrDefault(truncate.inode(), new byte[0]);
            if (truncate.sizeBytes() < content.length) {
                files.put(truncate.inode(), Arrays.copyOf(content, Math.toIntExact(truncate.sizeBytes())));
            }
        }
        // A Sync changes no content: it only decides which operations are durable.
    }

    private static void writeTree(long directory, Path target, Map<Long, Map<String, Long>> directories,
            Map<Long, byte[]> files) throws IOException {
        for (Map.Entry<String, Long> entry : directories.getOrDefault(directory, Map.of()).entrySet()) {
            Path path = target.resolve(entry.getKey());
            long inode = entry.getValue();
            if (directories.containsKey(inode)) {
                Files.createDirectory(path);
                writeTree(inode, path, directories, files);
            } else {
                Files.write(path, files.getOrDefault(inode, new byte[0]));
            }
        }
    }

    /** Returns the crash points just before and just after every fsync and directory fsync, and the end. */
    static List<Integer> fsyncBoundaries(List<FileOperation> operations) {
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) instanceof FileOperation.Sync) {
                if (points.isEmpty() || points.get(points.size() - 1) != i) {
                    points.add(i);
                }
                points.add(i + 1);
            }
        }
        if (points.isEmpty() || points.get(points.size() - 1) != operations.size()) {
            points.add(operations.size());
        }
        return points;
    }
}
