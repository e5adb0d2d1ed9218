package org.arca.dicom.uid;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encoding facts of a transfer syntax (PS3.5 section 10 and Annex A).
 *
 * @param explicitVr whether data elements carry their VR
 * @param bigEndian whether binary values are big endian
 * @param deflated whether the dataset after the file meta information is deflated (RFC 1951)
 * @param encapsulated whether Pixel Data is encapsulated in fragments
 * @param retired whether PS3.6 marks the transfer syntax retired
 * @param known whether the UID is a transfer syntax of PS3.6 Table A-1
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian, boolean deflated,
                             boolean encapsulated, boolean retired, boolean known) {

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN = of(UID.ImplicitVRLittleEndian);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN = of(UID.ExplicitVRLittleEndian);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN = of(UID.ExplicitVRBigEndian);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = of(UID.DeflatedExplicitVRLittleEndian);

    /**
     * Returns the descriptor of a transfer syntax UID. A UID that Table A-1 does not list as a
     * transfer syntax gets a descriptor with {@code known == false} that assumes explicit VR little
     * endian with encapsulated pixel data, which is how every compressed transfer syntax encodes.
     */
    public static TransferSyntax of(String uid) {
        TransferSyntax standard = Standard.BY_UID.get(uid);
        if (standard != null) {
            return standard;
        }
        return new TransferSyntax(uid, uid, true, false, false, true, false, false);
    }

    /** Returns every transfer syntax of PS3.6 Table A-1, retired ones included, in UID order. */
    public static List<TransferSyntax> all() {
        return Standard.ALL;
    }

    /** Returns whether this transfer syntax encodes the dataset in implicit VR little endian. */
    public boolean implicitVr() {
        return !explicitVr;
    }

    private static TransferSyntax describe(UidRegistry.Entry entry) {
        String uid = entry.uid();
        boolean implicit = uid.equals(UID.ImplicitVRLittleEndian)
                // Papyrus 3 Implicit VR Little Endian (retired) is implicit too.
                || uid.equals("1.2.840.10008.1.20");
        boolean bigEndian = uid.equals(UID.ExplicitVRBigEndian);
        boolean deflated = uid.equals(UID.DeflatedExplicitVRLittleEndian)
                || entry.name().toLowerCase().contains("deflate");
        // JPIP Referenced (Deflate) sends Pixel Data by reference, so it has no fragments.
        boolean nativePixelData = implicit || bigEndian || uid.equals(UID.ExplicitVRLittleEndian)
                || uid.equals(UID.DeflatedExplicitVRLittleEndian)
                || uid.equals("1.2.840.10008.1.2.4.94") || uid.equals("1.2.840.10008.1.2.4.95");
        return new TransferSyntax(uid, entry.name(), !implicit, bigEndian, deflated, !nativePixelData, entry.retired(), true);
    }

    /** The standard transfer syntaxes, built on first use so that the constants above can call {@link #of}. */
    private static final class Standard {
        static final Map<String, TransferSyntax> BY_UID = new LinkedHashMap<>();
        static final List<TransferSyntax> ALL;

        static {
            for (UidRegistry.Entry entry : UidRegistry.entriesOfType(UidRegistry.TYPE_TRANSFER_SYNTAX)) {
                BY_UID.put(entry.uid(), describe(entry));
            }
            ALL = Collections.unmodifiableList(new ArrayList<>(BY_UID.values()));
        }
    }
}
