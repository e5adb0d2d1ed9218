package org.arca.dicom.dimse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Splits a Part 10 file into its file meta information values and its data set bytes (test only). */
record Part10(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataset) {

    static Part10 parse(byte[] file) {
        if (!"DICM".equals(new String(file, 128, 4, StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("not a Part 10 file: no DICM prefix");
        }
        int position = 132;
        String sopClass = null;
        String sopInstance = null;
        String transferSyntax = null;
        while (position < file.length && u16(file, position) == 0x0002) {
            int element = u16(file, position + 2);
            String vr = new String(file, position + 4, 2, StandardCharsets.US_ASCII);
            int length;
            int header;
            if (vr.equals("OB") || vr.equals("OW") || vr.equals("UN") || vr.equals("SQ") || vr.equals("UT")) {
                length = u16(file, position + 8) | u16(file, position + 10) << 16;
                header = 12;
            } else {
                length = u16(file, position + 6);
                header = 8;
            }
            String value = new String(file, position + header, length, StandardCharsets.US_ASCII)
                    .replace("\0", "").strip();
            switch (element) {
                case 0x0002 -> sopClass = value;
                case 0x0003 -> sopInstance = value;
                case 0x0010 -> transferSyntax = value;
                default -> {
                }
            }
            position += header + length;
        }
        return new Part10(sopClass, sopInstance, transferSyntax, Arrays.copyOfRange(file, position, file.length));
    }

    /**
     * Returns the data set without a trailing Data Set Trailing Padding (FFFC,FFFC) element,
     * which dcmtk drops when it sends or converts a file.
     */
    static byte[] withoutTrailingPadding(byte[] dataset, boolean explicitVr) {
        int header = explicitVr ? 12 : 8;
        for (int position = dataset.length - header; position >= 0; position--) {
            if (u16(dataset, position) != 0xFFFC || u16(dataset, position + 2) != 0xFFFC) {
                continue;
            }
            int lengthOffset = explicitVr ? position + 8 : position + 4;
            long length = (u16(dataset, lengthOffset) | (long) u16(dataset, lengthOffset + 2) << 16);
            if (position + header + length == dataset.length) {
                return Arrays.copyOf(dataset, position);
            }
        }
        return dataset;
    }

    private static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }
}
