package org.arca.dicom.dimse;

import java.io.InputStream;
import org.arca.dicom.association.Association;
import org.arca.dicom.association.PresentationContext;

/**
 * A DIMSE request as an SCP service receives it.
 *
 * @param dataset the data set, streamed as PDVs arrive; an empty stream when the command has
 *     none. A service need not read it to its end: the dispatcher drains the rest.
 * @param cancel set when a C-CANCEL-RQ for this request arrives
 */
public record DimseRequest(Association association, PresentationContext presentationContext, CommandSet command,
        InputStream dataset, CancelSignal cancel) {

    public boolean isCancelRequested() {
        return cancel.isRequested();
    }

    public int commandField() {
        return command.commandField();
    }

    public int messageId() {
        return command.messageId();
    }
}
