package org.arca.store.ingest;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.store.blob.BlobId;
import org.arca.store.index.InstanceRecord;

/** Builds the index entry of one stored version from its parsed dataset. */
final class IndexedAttributes {

    private IndexedAttributes() {
    }

    /**
     * Copies the attributes the index keeps, decoded to Unicode with the dataset's
     * Specific Character Set. The journal sequence is left 0 for the journal to assign.
     */
    static InstanceRecord extract(Attributes dataset, IngestRequest request, String transferSyntaxUid,
            BlobId blobId, long sizeBytes, int version, long receivedAtMillis) {
        return new InstanceRecord(
                0,
                dataset.getString(Tag.PatientID),
                dataset.getString(Tag.IssuerOfPatientID),
                dataset.getString(Tag.PatientName),
                dataset.getString(Tag.PatientBirthDate),
                dataset.getString(Tag.PatientSex),
                dataset.getString(Tag.StudyInstanceUID),
                dataset.getString(Tag.StudyDate),
                dataset.getString(Tag.StudyTime),
                dataset.getString(Tag.AccessionNumber),
                dataset.getString(Tag.StudyID),
                dataset.getString(Tag.StudyDescription),
                dataset.getString(Tag.ReferringPhysicianName),
                dataset.getString(Tag.SeriesInstanceUID),
                dataset.getString(Tag.Modality),
                dataset.getString(Tag.SeriesNumber),
                dataset.getString(Tag.SeriesDescription),
                dataset.getString(Tag.BodyPartExamined),
                request.sopInstanceUid(),
                request.sopClassUid(),
                dataset.getString(Tag.InstanceNumber),
                transferSyntaxUid,
                joinedCharacterSets(dataset),
                blobId.hex(),
                sizeBytes,
                version,
                receivedAtMillis,
                request.sourceAeTitle());
    }

    private static String joinedCharacterSets(Attributes dataset) {
        String[] terms = dataset.getStrings(Tag.SpecificCharacterSet);
        return terms == null || terms.length == 0 ? null : String.join("\\", terms);
    }
}
