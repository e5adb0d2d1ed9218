package org.arca.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.io.FileMetaInformation;
import org.arca.dicom.uid.TransferSyntax;

/**
 * Generated Part 10 files for the codec benchmarks: a CT-like image (512 x 512, 16 bits, about
 * 512 KB of pixel data) and a small SR-like document (a content tree of text items, about 10 KB).
 * The values are synthetic; only the shapes (element count, sequence depth, value sizes) matter.
 */
final class Datasets {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String COMPREHENSIVE_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.33";

    private Datasets() {
    }

    /** Returns a CT image in Explicit VR Little Endian as a Part 10 file. */
    static byte[] ctImage() {
        Attributes dataset = commonAttributes(CT_IMAGE_STORAGE, "CT");
        dataset.setString(Tag.SliceThickness, VR.DS, "1.25");
        dataset.setString(Tag.KVP, VR.DS, "120");
        dataset.setString(Tag.ImagePositionPatient, VR.DS, "-250", "-250", "-102.5");
        dataset.setString(Tag.ImageOrientationPatient, VR.DS, "1", "0", "0", "0", "1", "0");
        dataset.setInt(Tag.SamplesPerPixel, VR.US, 1);
        dataset.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        dataset.setInt(Tag.Rows, VR.US, 512);
        dataset.setInt(Tag.Columns, VR.US, 512);
        dataset.setString(Tag.PixelSpacing, VR.DS, "0.9765625", "0.9765625");
        dataset.setInt(Tag.BitsAllocated, VR.US, 16);
        dataset.setInt(Tag.BitsStored, VR.US, 12);
        dataset.setInt(Tag.HighBit, VR.US, 11);
        dataset.setInt(Tag.PixelRepresentation, VR.US, 0);
        dataset.setString(Tag.WindowCenter, VR.DS, "40");
        dataset.setString(Tag.WindowWidth, VR.DS, "400");
        dataset.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        dataset.setString(Tag.RescaleSlope, VR.DS, "1");
        byte[] pixels = new byte[512 * 512 * 2];
        new SplittableRandom(512).nextBytes(pixels);
        dataset.setBytes(Tag.PixelData, VR.OW, pixels);
        return toPart10(dataset, CT_IMAGE_STORAGE);
    }

    /** Returns an SR document of about 10 KB in Explicit VR Little Endian as a Part 10 file. */
    static byte[] srDocument() {
        Attributes dataset = commonAttributes(COMPREHENSIVE_SR_STORAGE, "SR");
        dataset.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Sequence content = dataset.newSequence(Tag.ContentSequence);
        for (int i = 0; i < 40; i++) {
            Attributes item = content.addItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            item.setString(Tag.ValueType, VR.CS, "TEXT");
            Attributes concept = item.newSequence(Tag.ConceptNameCodeSequence).addItem();
            concept.setString(Tag.CodeValue, VR.SH, "121071");
            concept.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
            concept.setString(Tag.CodeMeaning, VR.LO, "Finding");
            item.setString(Tag.TextValue, VR.UT, "Finding " + i + ": no acute abnormality in this region of the "
                    + "examination; the structures are of normal size, shape and attenuation, unchanged.");
        }
        return toPart10(dataset, COMPREHENSIVE_SR_STORAGE);
    }

    private static Attributes commonAttributes(String sopClassUid, String modality) {
        Attributes dataset = new Attributes();
        dataset.setString(Tag.SOPClassUID, VR.UI, sopClassUid);
        dataset.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1.1.3");
        dataset.setString(Tag.StudyDate, VR.DA, "20261204");
        dataset.setString(Tag.AccessionNumber, VR.SH, "A12345");
        dataset.setString(Tag.Modality, VR.CS, modality);
        dataset.setString(Tag.Manufacturer, VR.LO, "Arca Bench");
        dataset.setString(Tag.StudyDescription, VR.LO, "Benchmark study");
        dataset.setString(Tag.SeriesDescription, VR.LO, "Benchmark series");
        dataset.setString(Tag.PatientName, VR.PN, "Bench^Patient");
        dataset.setString(Tag.PatientID, VR.LO, "BENCH-0001");
        dataset.setString(Tag.PatientBirthDate, VR.DA, "19700101");
        dataset.setString(Tag.PatientSex, VR.CS, "O");
        dataset.setString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1.1.1");
        dataset.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1.1.2");
        dataset.setString(Tag.InstanceNumber, VR.IS, "1");
        return dataset;
    }

    private static byte[] toPart10(Attributes dataset, String sopClassUid) {
        TransferSyntax ts = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DicomOutputStream out = new DicomOutputStream(bytes)) {
            out.writeFileMetaInformation(FileMetaInformation.create(sopClassUid,
                    dataset.getString(Tag.SOPInstanceUID), ts.uid(), "BENCH"));
            out.writeDataset(dataset, ts);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a benchmark dataset", e);
        }
        return bytes.toByteArray();
    }
}
