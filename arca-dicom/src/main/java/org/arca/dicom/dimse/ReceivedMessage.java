package org.arca.dicom.dimse;

import org.arca.dicom.association.PresentationContext;

/**
 * A received response: its command and its data set, or null when it has none.
 *
 * @param dataset the data set bytes in the context's transfer syntax, at most
 *     {@link DimseConnection#MAX_RESPONSE_DATASET_LENGTH}
 */
record ReceivedMessage(PresentationContext context, CommandSet command, byte[] dataset) {
}
