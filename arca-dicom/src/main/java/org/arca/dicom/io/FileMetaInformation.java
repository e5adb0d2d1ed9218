package org.arca.dicom.io;

import org.arca.dicom.Implementation;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;

/** Builds File Meta Information (PS3.10 section 7.1) for instances that Arca writes. */
public final class FileMetaInformation {

    private FileMetaInformation() {
    }

    /**
     * Returns group 0002 elements: version 00\01, Media Storage SOP Class and Instance UIDs,
     * Transfer Syntax UID, Arca's Implementation Class UID and Version Name, and the Source
     * Application Entity Title when {@code sourceAeTitle} is not null. (0002,0000) is computed by
     * {@link DicomOutputStream#writeFileMetaInformation}.
     */
    public static Attributes create(String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
                                    String sourceAeTitle) {
        Attributes fmi = new Attributes();
        fmi.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        fmi.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        fmi.setString(Tag.ImplementationClassUID, VR.UI, Implementation.CLASS_UID);
        fmi.setString(Tag.ImplementationVersionName, VR.SH, Implementation.VERSION_NAME);
        if (sourceAeTitle != null) {
            fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, sourceAeTitle);
        }
        return fmi;
    }
}
