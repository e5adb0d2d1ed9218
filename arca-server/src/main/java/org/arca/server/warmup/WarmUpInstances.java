package org.arca.server.warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomOutputStream;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.dicom.uid.UID;

/**
 * Synthetic instances for the warm-up: a text report of about 9 KB with nested content items, and a
 * 512 x 512 CT slice of 16-bit pixels (512 KiB). Each call makes new UIDs, so that every instance is a
 * new one for the archive. The patient, study and series come from the caller.
 *
 * <p>The instances vary as real senders do: the transfer syntax (Explicit and Implicit VR Little
 * Endian), defined and undefined sequence lengths, the Specific Character Set (none, Latin-1, UTF-8)
 * with names in Latin, Greek and Japanese script, and empty sequences. Code that the warm-up runs on
 * one variant only is compiled for that variant, and the first real instance of another one sends it
 * back to the interpreter. Java stores a string of Latin-1 characters in one byte per character and
 * any other string in two, and its string methods branch on that. So with Latin-1 names only, the
 * first Greek or Japanese name made the compiled ingest code fall back to the interpreter.
 */
final class WarmUpInstances {

    /** The transfer syntaxes that the instances use, in turn. The SCU proposes each in a context of its own. */
    static final List<String> TRANSFER_SYNTAXES = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
    /** The Specific Character Set and Patient's Name of each variant. Each variant is a patient of its own. */
    private static final List<NameVariant> NAME_VARIANTS = List.of(
            new NameVariant(null, "Warm^Up"),
            new NameVariant("ISO_IR 100", "M\u00fcller^J\u00fcrgen"),
            new NameVariant("ISO_IR 192", "M\u00fcller^J\u00fcrgen"),
            new NameVariant("ISO_IR 192", "\u03a3\u03c0\u03cd\u03c1\u03bf\u03c5^\u0395\u03bb\u03ad\u03bd\u03b7"),
            new NameVariant("ISO_IR 192", "\u4f50\u85e4^\u82b1\u5b50=\u30b5\u30c8\u30a6^\u30cf\u30ca\u30b3"));

    private static final int CT_MATRIX = 512;
    private static final int REPORT_ITEMS = 8;
    private static final int REPORT_ITEM_CHARACTERS = 1_100;

    private WarmUpInstances() {
    }

    /** An encoded dataset (without file meta information), its transfer syntax and the UIDs that its C-STORE-RQ names. */
    record Instance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataset) {
    }

    /** A Specific Character Set (null for none) and a Patient's Name that it can encode. */
    private record NameVariant(String characterSet, String patientName) {
    }

    /** The patient, study and series that instances go into. */
    record Series(String patientId, String studyInstanceUid, String seriesInstanceUid) {

        static Series create(String patientId) {
            return new Series(patientId, newUid(), newUid());
        }
    }

    /**
     * Returns one series, each of its own patient, per name variant. Instance {@code number}
     * belongs in {@code series.get(variantOf(number))}: a patient's name then stays the same in every
     * instance, as the index expects (it warns about a patient whose name changes).
     */
    static List<Series> seriesPerVariant(String patientIdPrefix) {
        List<Series> series = new java.util.ArrayList<>();
        for (int i = 0; i < NAME_VARIANTS.size(); i++) {
            series.add(Series.create(patientIdPrefix + "-" + (i + 1)));
        }
        return List.copyOf(series);
    }

    static int variantOf(int number) {
        return number % NAME_VARIANTS.size();
    }

    /** Returns a new UID under the 2.25 root (PS3.5 B.2), derived from a random UUID. */
    static String newUid() {
        UUID uuid = UUID.randomUUID();
        BigInteger value = new BigInteger(1, toBytes(uuid));
        return "2.25." + value;
    }

    static Instance report(List<Series> series, int number) {
        return report(series.get(variantOf(number)), number);
    }

    static Instance ctSlice(List<Series> series, int number) {
        return ctSlice(series.get(variantOf(number)), number);
    }

    private static Instance report(Series series, int number) {
        Attributes dataset = common(series, UID.BasicTextSRStorage, "SR", number);
        dataset.setString(Tag.ValueType, VR.CS, "CONTAINER");
        codeOf(dataset.newSequence(Tag.ConceptNameCodeSequence).addItem(), "18748-4", "LN", "Diagnostic Imaging Report");
        Sequence content = dataset.newSequence(Tag.ContentSequence);
        char[] text = new char[REPORT_ITEM_CHARACTERS];
        Arrays.fill(text, 'x');
        for (int i = 0; i < REPORT_ITEMS; i++) {
            Attributes item = content.addItem();
            item.setString(Tag.RelationshipType, VR.CS, "CONTAINS");
            item.setString(Tag.ValueType, VR.CS, "TEXT");
            codeOf(item.newSequence(Tag.ConceptNameCodeSequence).addItem(), "121071", "DCM", "Finding");
            item.setString(Tag.TextValue, VR.UT, "Warm-up finding " + i + ": " + new String(text));
        }
        return encode(UID.BasicTextSRStorage, dataset, number);
    }

    private static Instance ctSlice(Series series, int number) {
        Attributes dataset = common(series, UID.CTImageStorage, "CT", number);
        dataset.setInt(Tag.SamplesPerPixel, VR.US, 1);
        dataset.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        dataset.setInt(Tag.Rows, VR.US, CT_MATRIX);
        dataset.setInt(Tag.Columns, VR.US, CT_MATRIX);
        dataset.setInt(Tag.BitsAllocated, VR.US, 16);
        dataset.setInt(Tag.BitsStored, VR.US, 12);
        dataset.setInt(Tag.HighBit, VR.US, 11);
        dataset.setInt(Tag.PixelRepresentation, VR.US, 0);
        byte[] pixels = new byte[CT_MATRIX * CT_MATRIX * 2];
        for (int i = 0; i < pixels.length; i += 2) {
            pixels[i] = (byte) (i * 31 + number);
            pixels[i + 1] = (byte) ((i >> 9) & 0x0f);
        }
        dataset.setString(Tag.SliceThickness, VR.DS, "1.25");
        dataset.setString(Tag.PixelSpacing, VR.DS, "0.703125", "0.703125");
        dataset.setBytes(Tag.PixelData, VR.OW, pixels);
        return encode(UID.CTImageStorage, dataset, number);
    }

    private static Attributes common(Series series, String sopClassUid, String modality, int number) {
        Attributes dataset = new Attributes();
        NameVariant variant = NAME_VARIANTS.get(variantOf(number));
        if (variant.characterSet() != null) {
            dataset.setString(Tag.SpecificCharacterSet, VR.CS, variant.characterSet());
        }
        dataset.setString(Tag.SOPClassUID, VR.UI, sopClassUid);
        dataset.setString(Tag.SOPInstanceUID, VR.UI, newUid());
        dataset.setString(Tag.StudyDate, VR.DA, "20260101");
        dataset.setString(Tag.StudyTime, VR.TM, "101936");
        dataset.setString(Tag.AccessionNumber, VR.SH, "WARMUP-" + number);
        dataset.setString(Tag.Modality, VR.CS, modality);
        dataset.setString(Tag.Manufacturer, VR.LO, "Arca warm-up");
        dataset.setString(Tag.ReferringPhysicianName, VR.PN, "Referring^Rachel^^Dr.");
        dataset.setString(Tag.StudyDescription, VR.LO, "Warm-up study");
        dataset.newSequence(Tag.ReferencedPerformedProcedureStepSequence);
        dataset.setString(Tag.PatientName, VR.PN, variant.patientName());
        dataset.setString(Tag.PatientID, VR.LO, series.patientId());
        dataset.setString(Tag.PatientBirthDate, VR.DA, "19560312");
        dataset.setString(Tag.PatientSex, VR.CS, "O");
        dataset.setString(Tag.StudyInstanceUID, VR.UI, series.studyInstanceUid());
        dataset.setString(Tag.SeriesInstanceUID, VR.UI, series.seriesInstanceUid());
        dataset.setString(Tag.SeriesNumber, VR.IS, "1");
        dataset.setString(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        return dataset;
    }

    private static void codeOf(Attributes item, String value, String scheme, String meaning) {
        item.setString(Tag.CodeValue, VR.SH, value);
        item.setString(Tag.CodingSchemeDesignator, VR.SH, scheme);
        item.setString(Tag.CodeMeaning, VR.LO, meaning);
    }

    /** Encodes the dataset in the transfer syntax and with the sequence lengths that {@code number} selects. */
    private static Instance encode(String sopClassUid, Attributes dataset, int number) {
        String transferSyntax = TRANSFER_SYNTAXES.get((number / 2) % TRANSFER_SYNTAXES.size());
        boolean definedLengths = number % 2 == 0;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            new DicomOutputStream(bytes).setDefinedLengths(definedLengths)
                    .writeDataset(dataset, TransferSyntax.of(transferSyntax));
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding a warm-up instance in memory failed", e);
        }
        return new Instance(sopClassUid, dataset.getString(Tag.SOPInstanceUID), transferSyntax, bytes.toByteArray());
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] bytes = new byte[16];
        long high = uuid.getMostSignificantBits();
        long low = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }
}
