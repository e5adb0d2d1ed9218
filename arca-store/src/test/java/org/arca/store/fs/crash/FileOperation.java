package org.arca.store.fs.crash;

/**
 * One recorded file system operation. Files and directories are named by inode numbers that the
 * recorder assigns, so that a rename keeps the identity of the file it moves. Inode 0 is the root
 * of the recorded tree.
 */
sealed interface FileOperation {

    /** The inode whose fsync makes this operation durable, or -1 for an fsync itself. */
    long durableWith();

    /** A new name {@code name} in {@code directory} for {@code inode} (create, mkdir, or the target of a rename). */
    record Link(long directory, String name, long inode, boolean isDirectory) implements FileOperation {
        @Override
        public long durableWith() {
            return directory;
        }
    }

    /** The removal of {@code name} from {@code directory} (delete, or the source of a rename). */
    record Unlink(long directory, String name) implements FileOperation {
        @Override
        public long durableWith() {
            return directory;
        }
    }

    /** Bytes written to a file at a byte offset. */
    record Write(long inode, long offset, byte[] bytes) implements FileOperation {
        @Override
        public long durableWith() {
            return inode;
        }
    }

    /** A file cut or extended to {@code sizeBytes}. */
    record Truncate(long inode, long sizeBytes) implements FileOperation {
        @Override
        public long durableWith() {
            return inode;
        }
    }

    /**
     * An fsync of a file or directory that returned. It makes durable the operations on that inode
     * recorded before index {@code coversBefore}, the number of operations recorded when it began:
     * an operation that completed while the fsync ran may or may not be covered, so the model
     * treats it as not covered.
     */
    record Sync(long inode, int coversBefore) implements FileOperation {
        @Override
        public long durableWith() {
            return -1;
        }
    }
}
