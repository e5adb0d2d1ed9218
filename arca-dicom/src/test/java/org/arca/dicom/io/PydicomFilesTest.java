package org.arca.dicom.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.arca.dicom.data.Attributes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads every sample file that Debian's python3-pydicom ships. */
class PydicomFilesTest {

    static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    static final Path CHARSET_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files");

    /** Files that are not valid DICOM streams, with the reason pydicom's own tests give. */
    static final Set<String> EXPECTED_FAILURES = Set.of(
            // Truncated on purpose (pydicom's README and test_filereader).
            "MR_truncated.dcm",
            "rtplan_truncated.dcm",
            // Documented as CT_small.dcm without meta, but starts with a stray byte; dcmdump rejects it too.
            "no_meta.dcm",
            // Tags were removed from items without updating the sequence length, so items overrun it.
            "DICOMDIR-nooffset",
            // Not DICOM: pydicom's dcmdump text output, JSON, and a gzip file.
            "rtplan.dump",
            "rtstruct.dump",
            "test1.json",
            "test_PN.json",
            "zipMR.gz");

    static Stream<Path> sampleFiles() throws IOException {
        return Stream.concat(Files.walk(TEST_FILES), Files.list(CHARSET_FILES))
                .filter(Files::isRegularFile)
                .filter(path -> !path.getFileName().toString().endsWith(".txt"))
                .filter(path -> !path.getFileName().toString().endsWith(".py"))
                .filter(path -> !path.getFileName().toString().equals("README"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleFiles")
    void readsOrRejectsWithOffset(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (EXPECTED_FAILURES.contains(name)) {
            assertThatThrownBy(() -> read(file))
                    .isInstanceOf(DicomParseException.class)
                    .hasMessageContaining("at offset");
            return;
        }
        Attributes dataset = read(file);
        assertThat(dataset.size()).isPositive();
        DcmdumpComparison.assertSameAsDcmdump(file, dataset);
    }

    static Attributes read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             DicomInputStream dicom = new DicomInputStream(in)) {
            dicom.readFileMetaInformation();
            Attributes dataset = dicom.readDataset(ReadOptions.keepAll());
            assertThat(dicom.position()).isEqualTo(Files.size(file));
            return dataset;
        }
    }
}
