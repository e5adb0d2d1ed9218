package org.arca.dicom.dimse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;

/** Encodes and decodes small query identifiers in Explicit VR Little Endian (test only). */
final class Identifiers {
    private Identifiers() {
    }

    static byte[] study(String patientName, String studyInstanceUid) throws IOException {
        return study(patientName, studyInstanceUid, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid());
    }

    static byte[] study(String patientName, String studyInstanceUid, String transferSyntaxUid) throws IOException {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        identifier.setString(Tag.PatientName, VR.PN, patientName);
        identifier.setString(Tag.StudyInstanceUID, VR.UI, studyInstanceUid);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DicomOutputStream(bytes).writeDataset(identifier, TransferSyntax.of(transferSyntaxUid));
        return bytes.toByteArray();
    }

    static Attributes decode(byte[] encoded) throws IOException {
        return new DicomInputStream(new ByteArrayInputStream(encoded), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                .readDataset(ReadOptions.defaults());
    }
}
