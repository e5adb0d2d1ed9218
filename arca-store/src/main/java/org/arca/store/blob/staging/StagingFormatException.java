package org.arca.store.blob.staging;

import java.io.IOException;

/** A file in the staging directory that is not a staging pack of a version this Arca reads. */
public final class StagingFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    StagingFormatException(String message) {
        super(message);
    }
}
