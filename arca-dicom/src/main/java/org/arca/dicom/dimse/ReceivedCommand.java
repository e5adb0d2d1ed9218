package org.arca.dicom.dimse;

/** A command set received on a presentation context. */
public record ReceivedCommand(int contextId, CommandSet command) {
}
