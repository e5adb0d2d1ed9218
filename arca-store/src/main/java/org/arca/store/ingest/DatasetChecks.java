package org.arca.store.ingest;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.uid.Uids;

/**
 * The checks a received dataset must pass before Arca takes responsibility for it.
 * A dataset that is odd but passes is stored exactly as received.
 */
final class DatasetChecks {

    private DatasetChecks() {
    }

    /** Rejects invalid UIDs in the C-STORE request itself, before any byte is written. */
    static void checkRequest(IngestRequest request) throws IngestException {
        checkUid("Affected SOP Class UID", request.sopClassUid());
        checkUid("Affected SOP Instance UID", request.sopInstanceUid());
        checkUid("Transfer Syntax UID", request.transferSyntaxUid());
    }

    /**
     * Checks that the dataset names the same SOP Instance and SOP Class as the request
     * and carries the valid Study and Series Instance UIDs the index is keyed by.
     */
    static void checkDataset(Attributes dataset, IngestRequest request) throws IngestException {
        String sopInstanceUid = dataset.getString(Tag.SOPInstanceUID);
        if (!request.sopInstanceUid().equals(sopInstanceUid)) {
            throw new IngestException(IngestException.Reason.DATASET_MISMATCH,
                    "SOP Instance UID in the dataset (" + sopInstanceUid
                            + ") differs from the Affected SOP Instance UID " + request.sopInstanceUid());
        }
        String sopClassUid = dataset.getString(Tag.SOPClassUID);
        if (!request.sopClassUid().equals(sopClassUid)) {
            throw new IngestException(IngestException.Reason.DATASET_MISMATCH,
                    "SOP Class UID in the dataset (" + sopClassUid
                            + ") differs from the Affected SOP Class UID " + request.sopClassUid());
        }
        checkUid("Study Instance UID", dataset.getString(Tag.StudyInstanceUID));
        checkUid("Series Instance UID", dataset.getString(Tag.SeriesInstanceUID));
    }

    private static void checkUid(String name, String value) throws IngestException {
        if (value == null || value.isEmpty()) {
            throw new IngestException(IngestException.Reason.INVALID_DATASET, name + " is missing");
        }
        String problem = Uids.validationError(value);
        if (problem != null) {
            throw new IngestException(IngestException.Reason.INVALID_DATASET,
                    name + " '" + value + "' is invalid: " + problem);
        }
    }
}
