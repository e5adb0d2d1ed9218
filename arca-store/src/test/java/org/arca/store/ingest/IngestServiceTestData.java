package org.arca.store.ingest;

import org.arca.dicom.uid.TransferSyntax;

/** Gives tests of other packages the small CT dataset of {@link IngestServiceTest}. */
public final class IngestServiceTestData {

    private IngestServiceTestData() {
    }

    public static byte[] dataset(String sopInstanceUid, String patientName, TransferSyntax ts) {
        return IngestServiceTest.dataset(sopInstanceUid, patientName, ts);
    }
}
