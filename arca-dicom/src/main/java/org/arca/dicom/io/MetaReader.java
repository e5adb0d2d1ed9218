package org.arca.dicom.io;

import java.io.IOException;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;

/**
 * Reads the File Meta Information elements (group 0002) that follow "DICM". It stops at the
 * first element of another group rather than trusting (0002,0000), which some writers get wrong.
 */
final class MetaReader {

    private final CountingSource source;
    private final List<DicomWarning> warnings;
    private final long maxValueLength;

    MetaReader(CountingSource source, List<DicomWarning> warnings, long maxValueLength) {
        this.source = source;
        this.warnings = warnings;
        this.maxValueLength = maxValueLength;
    }

    Attributes read() throws IOException {
        Attributes meta = new Attributes();
        ReadOptions options = new ReadOptions(Long.MAX_VALUE, maxValueLength, 1);
        while (nextGroupIsMeta()) {
            DatasetParser parser = new DatasetParser(source, source.count(), options, warnings);
            parser.readSingleElement(meta);
        }
        checkGroupLength(meta);
        return meta;
    }

    private boolean nextGroupIsMeta() throws IOException {
        byte[] group = new byte[2];
        int n = source.readNBytes(group, 0, 2);
        source.unread(group, 0, n);
        return n == 2 && group[0] == 0x02 && group[1] == 0x00;
    }

    private void checkGroupLength(Attributes meta) {
        int declared = meta.getInt(Tag.FileMetaInformationGroupLength, -1);
        if (declared < 0) {
            warnings.add(new DicomWarning(0, Tag.FileMetaInformationGroupLength,
                    "File Meta Information has no group length"));
        }
    }
}
