package org.arca.dicom.io;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.ElementDictionary;
import org.arca.dicom.data.Fragments;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.uid.TransferSyntax;

/** Datasets with one element of every VR, nested sequences and fragments, for round-trip tests. */
final class SampleDatasets {

    static final int PRIVATE_CREATOR = 0x00090010;
    static final int PRIVATE_UN = 0x00091010;

    private SampleDatasets() {
    }

    /** Returns, per VR, a standard tag whose only VR in PS3.6 is that VR, so implicit VR reads it back the same. */
    static Map<VR, Integer> tagPerVr() {
        Map<VR, Integer> tags = new EnumMap<>(VR.class);
        try (InputStream in = ElementDictionary.class.getResourceAsStream("dictionary.tsv")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split("\t");
                if (line.startsWith("#") || f[0].contains("x") || f[1].contains("|") || f[0].startsWith("000")
                        || f[1].equals("UN")) {
                    continue;
                }
                tags.putIfAbsent(VR.valueOf(f[1]), Integer.parseUnsignedInt(f[0], 16));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tags.put(VR.UN, PRIVATE_UN);
        return tags;
    }

    /** Builds a dataset with every VR; encapsulated transfer syntaxes get fragmented Pixel Data. */
    static Attributes everyVr(TransferSyntax ts) {
        Attributes dataset = new Attributes();
        dataset.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        dataset.setString(PRIVATE_CREATOR, VR.LO, "ARCA TEST");
        for (Map.Entry<VR, Integer> entry : tagPerVr().entrySet()) {
            VR vr = entry.getKey();
            int tag = entry.getValue();
            if (vr == VR.SQ) {
                fillSequence(dataset.newSequence(tag), 3);
            } else if (vr.isString()) {
                dataset.setString(tag, vr, sampleText(vr));
            } else {
                dataset.setBytes(tag, vr, sampleBytes(vr));
            }
        }
        if (ts.encapsulated()) {
            Fragments fragments = new Fragments();
            fragments.add(new byte[0]);
            fragments.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9});
            fragments.add(new byte[] {5, 6});
            dataset.setFragments(Tag.PixelData, VR.OB, fragments);
        } else {
            dataset.setBytes(Tag.PixelData, VR.OW, sampleBytes(VR.OW));
        }
        return dataset;
    }

    /** Fills a sequence with two items, the first nesting a further sequence down to {@code depth}. */
    static void fillSequence(Sequence sequence, int depth) {
        Attributes first = sequence.addItem();
        first.setString(Tag.CodeValue, VR.SH, "CV" + depth);
        first.setInt(Tag.ReferencedFrameNumber, VR.IS, depth, depth + 1);
        if (depth > 1) {
            fillSequence(first.newSequence(Tag.ContentSequence), depth - 1);
        }
        sequence.addItem();
        Attributes third = sequence.addItem();
        third.setString(Tag.PatientName, VR.PN, "M\u00fcller^J\u00fcrgen=\u5c71\u7530^\u592a\u90ce");
    }

    static String sampleText(VR vr) {
        return switch (vr) {
            case AE -> "ARCA_SCP";
            case AS -> "042Y";
            case CS -> "ORIGINAL\\PRIMARY";
            case DA -> "20240131";
            case DS -> "1.5\\-2.25e3";
            case DT -> "20240131123456.123456+0100";
            case IS -> "42\\-7";
            case TM -> "123456.789";
            case UI -> "1.2.840.10008.5.1.4.1.1.2";
            case UR -> "http://example.org/a?b=c";
            case PN -> "Doe^John=\u5c71\u7530^\u592a\u90ce";
            case LT, ST, UT -> "Line one\r\nLine two \u00e9\u00e8 \\ backslash";
            default -> "Text " + vr + " \u00fc\u6771";
        };
    }

    static byte[] sampleBytes(VR vr) {
        int length = switch (vr) {
            case AT, FL, SL, UL, SS, US -> 4;
            case FD, SV, UV -> 8;
            default -> 16;
        };
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 17 + vr.ordinal());
        }
        return bytes;
    }

    /** Encodes a dataset in explicit VR little endian with undefined lengths, as a canonical form to compare datasets. */
    static byte[] canonical(Attributes dataset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DicomOutputStream(out).writeDataset(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return out.toByteArray();
    }
}
