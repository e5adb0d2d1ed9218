package org.arca.dicom.dimse;

import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;

/** Stores the data set of one C-STORE-RQ; the archive's ingest plugs in here. */
@FunctionalInterface
public interface StorageHandler {
    /**
     * Stores a data set. The C-STORE-RSP is sent only after this method returns, so a Success
     * here must mean the instance is stored as the caller promises its users.
     *
     * @param context the presentation context; its transfer syntax is the data set's encoding
     * @param dataset the data set bytes exactly as received, without file meta information
     * @return the status to send: Success (0x0000) or a warning (0xB000, 0xB006, 0xB007)
     * @throws DimseException to send a failure status with an Error Comment
     */
    int store(Association association, PresentationContext context, CStoreRequest request, InputStream dataset)
            throws DimseException;
}
