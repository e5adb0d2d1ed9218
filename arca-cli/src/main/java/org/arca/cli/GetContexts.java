package org.arca.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.arca.dicom.pdu.PresentationContextRq;
import org.arca.dicom.uid.UID;

/**
 * The presentation contexts of a C-GET: one for the C-GET SOP class, then two per Storage SOP
 * class to receive (uncompressed, and the common compressed syntaxes), so that the peer can send
 * each instance in its stored transfer syntax instead of transcoding it.
 */
final class GetContexts {

    /**
     * The Storage SOP classes proposed unless --sop-class names others.
     * TODO: the peer fails the sub-operation of an instance whose SOP class is not proposed; a
     * C-FIND at IMAGE level for SOP Class UID (0008,0016) first could pick the classes.
     */
    static final List<String> DEFAULT_STORAGE_SOP_CLASSES = List.of(
            UID.CTImageStorage, UID.EnhancedCTImageStorage, UID.MRImageStorage, UID.EnhancedMRImageStorage,
            UID.ComputedRadiographyImageStorage, UID.DigitalXRayImageStorageForPresentation,
            UID.DigitalMammographyXRayImageStorageForPresentation, UID.UltrasoundImageStorage,
            UID.UltrasoundMultiFrameImageStorage, UID.PositronEmissionTomographyImageStorage,
            UID.NuclearMedicineImageStorage, UID.XRayAngiographicImageStorage, UID.SecondaryCaptureImageStorage,
            UID.MultiFrameGrayscaleByteSecondaryCaptureImageStorage,
            UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage,
            UID.MultiFrameTrueColorSecondaryCaptureImageStorage, UID.VLPhotographicImageStorage,
            UID.BasicTextSRStorage, UID.EnhancedSRStorage, UID.ComprehensiveSRStorage,
            UID.KeyObjectSelectionDocumentStorage, UID.GrayscaleSoftcopyPresentationStateStorage,
            UID.EncapsulatedPDFStorage, UID.SegmentationStorage, UID.RTImageStorage, UID.RTDoseStorage,
            UID.RTStructureSetStorage, UID.RTPlanStorage);

    /** At most 128 presentation contexts fit in an A-ASSOCIATE-RQ: one for C-GET, two per SOP class. */
    static final int MAX_STORAGE_SOP_CLASSES = 63;

    private static final List<String> COMPRESSED = List.of(UID.JPEGBaseline8Bit, UID.JPEGExtended12Bit,
            UID.JPEGLosslessSV1, UID.JPEGLSLossless, UID.JPEG2000Lossless, UID.JPEG2000, UID.RLELossless,
            UID.DeflatedExplicitVRLittleEndian);

    private GetContexts() {
    }

    /** Returns the contexts with odd IDs: the C-GET SOP class first, then the storage ones. */
    static List<PresentationContextRq> of(String getSopClassUid, Collection<String> storageSopClassUids) {
        List<PresentationContextRq> contexts = new ArrayList<>();
        contexts.add(new PresentationContextRq(1, getSopClassUid, PeerConnection.UNCOMPRESSED));
        for (String sopClassUid : storageSopClassUids) {
            contexts.add(new PresentationContextRq(2 * contexts.size() + 1, sopClassUid, PeerConnection.UNCOMPRESSED));
            contexts.add(new PresentationContextRq(2 * contexts.size() + 1, sopClassUid, COMPRESSED));
        }
        return contexts;
    }
}
