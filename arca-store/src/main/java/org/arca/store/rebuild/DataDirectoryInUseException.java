package org.arca.store.rebuild;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown when an offline operation finds the data directory's lock held, normally by a running node. */
public final class DataDirectoryInUseException extends IOException {

    public DataDirectoryInUseException(Path dataDirectory, Path lockFile) {
        super("Data directory " + dataDirectory + " is in use: another process, normally a running 'arca serve',"
                + " holds the lock " + lockFile + ". Stop that node and run the command again; the node itself"
                + " rebuilds a missing or corrupt index at start.");
    }
}
