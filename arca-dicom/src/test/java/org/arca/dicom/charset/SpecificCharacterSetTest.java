package org.arca.dicom.charset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Sequence;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecificCharacterSetTest {

    private static final Path CHARSET_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files");

    /**
     * Expected Patient's Name of each file as pydicom 2.3.1 decodes it (pydicom drops a trailing
     * "=" that chrX1 and chrX2 carry, so the test does too).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "chrArab.dcm|\u0642\u0628\u0627\u0646\u064a^\u0644\u0646\u0632\u0627\u0631",
        "chrFren.dcm|Buc^J\u00e9r\u00f4me",
        "chrFrenMulti.dcm|Buc^J\u00e9r\u00f4me",
        "chrGerm.dcm|\u00c4neas^R\u00fcdiger",
        "chrGreek.dcm|\u0394\u03b9\u03bf\u03bd\u03c5\u03c3\u03b9\u03bf\u03c2",
        "chrH31.dcm|Yamada^Tarou=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046",
        "chrH32.dcm|\uff94\uff8f\uff80\uff9e^\uff80\uff9b\uff73=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046",
        "chrHbrw.dcm|\u05e9\u05e8\u05d5\u05df^\u05d3\u05d1\u05d5\u05e8\u05d4",
        "chrI2.dcm|Hong^Gildong=\u6d2a^\u5409\u6d1e=\ud64d^\uae38\ub3d9",
        "chrJapMulti.dcm|\u3084\u307e\u3060^\u305f\u308d\u3046",
        "chrJapMultiExplicitIR6.dcm|\u3084\u307e\u3060^\u305f\u308d\u3046",
        "chrKoreanMulti.dcm|\uae40\ud76c\uc911",
        "chrRuss.dcm|\u041b\u044e\u043ace\u043c\u0431yp\u0433",
        "chrX1.dcm|Wang^XiaoDong=\u738b^\u5c0f\u6771",
        "chrX2.dcm|Wang^XiaoDong=\u738b^\u5c0f\u4e1c",
    })
    void decodesPatientNameLikePydicom(String file, String expected) throws IOException {
        Attributes dataset = read(CHARSET_FILES.resolve(file));

        String name = dataset.getString(Tag.PatientName);

        assertThat(name.replaceAll("=+$", "")).isEqualTo(expected);
    }

    /** chrKoreanMulti.dcm is left out: it ends with a redundant ESC ( B that a minimal encoder does not write. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"chrArab.dcm", "chrFren.dcm", "chrGerm.dcm", "chrGreek.dcm", "chrH31.dcm", "chrH32.dcm",
        "chrHbrw.dcm", "chrI2.dcm", "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm",
        "chrRuss.dcm", "chrX1.dcm", "chrX2.dcm"})
    void encodesPatientNameToOriginalBytes(String file) throws IOException {
        Attributes dataset = read(CHARSET_FILES.resolve(file));
        byte[] original = dataset.getBytes(Tag.PatientName);
        String decoded = dataset.specificCharacterSet().decode(trimPadding(original), VR.PN);

        byte[] encoded = dataset.specificCharacterSet().encode(decoded, VR.PN);

        assertThat(new String(encoded, StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(trimPadding(original), StandardCharsets.ISO_8859_1));
    }

    @Test
    void sequenceItemUsesItsOwnCharacterSet() throws IOException {
        Attributes dataset = read(CHARSET_FILES.resolve("chrSQEncoding.dcm"));
        Attributes item = dataset.getSequence(Tag.RequestedProcedureCodeSequence).get(0);

        assertThat(dataset.getString(Tag.RequestingPhysician)).isEqualTo("Doctor^Who^^MD");
        assertThat(item.getString(Tag.PatientName)).isEqualTo(
                "\uff94\uff8f\uff80\uff9e^\uff80\uff9b\uff73=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046");
    }

    @Test
    void sequenceItemInheritsCharacterSet() throws IOException {
        Attributes item = findFirstItem(read(CHARSET_FILES.resolve("chrSQEncoding1.dcm")));

        assertThat(item.getString(Tag.PatientName)).isEqualTo(
                "\uff94\uff8f\uff80\uff9e^\uff80\uff9b\uff73=\u5c71\u7530^\u592a\u90ce=\u3084\u307e\u3060^\u305f\u308d\u3046");
    }

    @Test
    void multiValuedLatin1() throws IOException {
        Attributes dataset = read(CHARSET_FILES.resolve("chrFrenMulti.dcm"));

        assertThat(dataset.getStrings(Tag.OtherPatientNames)).containsExactly("Buc^J\u00e9r\u00f4me", "Buc^J\u00e9r\u00f4me");
        assertThat(dataset.getStrings(Tag.OtherPatientIDs)).containsExactly("eggs", "spam");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ISO 2022 IR 6|ISO 2022 IR 100|Buc^J\u00e9r\u00f4me",
        "ISO 2022 IR 6|ISO 2022 IR 101|Dvo\u0159\u00e1k^Anton\u00edn",
        "ISO 2022 IR 6|ISO 2022 IR 109|\u0124ello^\u011Duy",
        "ISO 2022 IR 6|ISO 2022 IR 110|\u0100ris^\u012Ana",
        "ISO 2022 IR 6|ISO 2022 IR 144|\u041b\u044e\u043a\u0441\u0435\u043c\u0431\u0443\u0440\u0433",
        "ISO 2022 IR 6|ISO 2022 IR 127|\u0642\u0628\u0627\u0646\u064a",
        "ISO 2022 IR 6|ISO 2022 IR 126|\u0394\u03b9\u03bf\u03bd\u03c5\u03c3\u03b9\u03bf\u03c2",
        "ISO 2022 IR 6|ISO 2022 IR 138|\u05e9\u05e8\u05d5\u05df",
        "ISO 2022 IR 6|ISO 2022 IR 148|\u00c7elik^\u015eeyma",
        "ISO 2022 IR 6|ISO 2022 IR 166|\u0e01\u0e02\u0e03",
        "ISO 2022 IR 13|ISO 2022 IR 159|\uff94\uff8f\uff80^\u4e28\u4e2f",
        "ISO 2022 IR 6|ISO 2022 IR 58|Wang^XiaoDong=\u738b^\u5c0f\u4e1c",
        "ISO 2022 IR 100|ISO 2022 IR 144|J\u00e9r\u00f4me=\u041b\u044e\u043a",
    })
    void codeExtensionsRoundTrip(String first, String second, String text) {
        SpecificCharacterSet charset = SpecificCharacterSet.valueOf(first, second);

        byte[] encoded = charset.encode(text, VR.PN);

        assertThat(charset.decode(encoded, VR.PN)).isEqualTo(text);
        assertThat(charset.usesCodeExtensions()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ISO_IR 100|J\u00e9r\u00f4me", "ISO_IR 101|Dvo\u0159\u00e1k", "ISO_IR 109|\u0124ello",
        "ISO_IR 110|\u0100ris", "ISO_IR 144|\u041b\u044e\u043a", "ISO_IR 127|\u0642\u0628\u0627",
        "ISO_IR 126|\u0394\u03b9\u03bf", "ISO_IR 138|\u05e9\u05e8\u05d5", "ISO_IR 148|\u00c7elik",
        "ISO_IR 166|\u0e01\u0e02", "ISO_IR 192|\u738b^\u5c0f\u6771", "GB18030|\u738b^\u5c0f\u4e1c",
        "GBK|\u738b^\u5c0f\u4e1c", "ISO_IR 13|\uff94\uff8f\uff80", "ISO_IR 6|Doe^John",
    })
    void singleCharacterSetRoundTrip(String term, String text) {
        SpecificCharacterSet charset = SpecificCharacterSet.valueOf(term);

        assertThat(charset.decode(charset.encode(text, VR.LO), VR.LO)).isEqualTo(text);
        assertThat(charset.usesCodeExtensions()).isFalse();
    }

    @Test
    void escapeResetAtLineEnd() {
        SpecificCharacterSet charset = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        byte[] bytes = ("\u001b$B;3ED\r\nABC").getBytes(StandardCharsets.ISO_8859_1);

        String text = charset.decode(bytes, VR.LT);

        assertThat(text).isEqualTo("\u5c71\u7530\r\nABC");
    }

    @Test
    void encoderResetsBeforeDelimiters() {
        SpecificCharacterSet charset = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");

        byte[] encoded = charset.encode("\u5c71\u7530^\u592a\u90ce", VR.PN);

        assertThat(new String(encoded, StandardCharsets.ISO_8859_1))
                .isEqualTo("\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B");
    }

    private static Attributes findFirstItem(Attributes dataset) {
        for (var element : dataset) {
            if (element.value() instanceof Sequence sequence && sequence.size() > 0) {
                return sequence.get(0);
            }
        }
        throw new AssertionError("The dataset has no sequence item");
    }

    private static byte[] trimPadding(byte[] value) {
        int end = value.length;
        while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == 0)) {
            end--;
        }
        return Arrays.copyOf(value, end);
    }

    private static Attributes read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DicomInputStream dicom = new DicomInputStream(in)) {
            return dicom.readDataset(ReadOptions.keepAll());
        }
    }
}
