package org.arca.dicom.association;

import java.io.IOException;

/** The association ended (abort, transport loss or release) before the operation completed. */
public class AssociationAbortedException extends IOException {
    public AssociationAbortedException(String message) {
        super(message);
    }
}
