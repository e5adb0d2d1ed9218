package org.arca.cli.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.io.DicomInputStream;

/**
 * One SOP Instance as a test sends it: its UIDs and the exact dataset bytes that go on the
 * wire, so that a test can check that Arca stored exactly these bytes.
 */
record TestInstance(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, byte[] dataset) {

    /** Reads a Part 10 file and splits off its file meta information. */
    static TestInstance read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        DicomInputStream reader = new DicomInputStream(new ByteArrayInputStream(bytes));
        Attributes meta = reader.readFileMetaInformation();
        byte[] dataset = Arrays.copyOfRange(bytes, (int) reader.position(), bytes.length);
        return new TestInstance(meta.getString(Tag.MediaStorageSOPClassUID),
                meta.getString(Tag.MediaStorageSOPInstanceUID), meta.getString(Tag.TransferSyntaxUID), dataset);
    }

    static List<TestInstance> readAll(Path directory) throws IOException {
        List<TestInstance> instances = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                instances.add(read(file));
            }
        }
        return instances;
    }

    /** Returns the dataset part of a stored blob, after the file meta information Arca wrote. */
    static byte[] datasetOfBlob(Path blob) throws IOException {
        byte[] bytes = Files.readAllBytes(blob);
        DicomInputStream reader = new DicomInputStream(new ByteArrayInputStream(bytes));
        reader.readFileMetaInformation();
        return Arrays.copyOfRange(bytes, (int) reader.position(), bytes.length);
    }
}
