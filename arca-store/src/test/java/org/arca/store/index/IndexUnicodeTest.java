package org.arca.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IndexUnicodeTest {

    @TempDir
    Path dir;

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("Japanese", "ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう", "yamada"),
                Arguments.of("Greek", "ISO_IR 126", "Διονυσιος^Αλέξανδρος", "διονυσ"),
                Arguments.of("Cyrillic", "ISO_IR 144", "Иванов^Иван^Иванович", "иван"),
                Arguments.of("Supplementary plane", "ISO_IR 192", "𠮷野^家", "𠮷"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void nameStoredAndReadBack(String script, String characterSet, String patientName, String lowerCasePrefix) {
        Path file = dir.resolve("arca.sqlite");
        RecordBuilder builder = new RecordBuilder().patient("PID-" + script, patientName);
        builder.specificCharacterSet = characterSet;
        builder.studyDescription = patientName + " study";
        try (Index index = Index.open(file)) {
            index.applyInstanceStored(builder.build());
        }

        try (Index reopened = Index.open(file)) {
            assertThat(reopened.patients()).extracting(PatientEntry::patientName).containsExactly(patientName);
            assertThat(reopened.study("2.25.1").orElseThrow().studyDescription()).isEqualTo(patientName + " study");
            assertThat(reopened.currentVersion("2.25.1.1.1").orElseThrow().specificCharacterSet())
                    .isEqualTo(characterSet);
            assertThat(reopened.studiesByPatientNamePrefix(lowerCasePrefix))
                    .extracting(StudyEntry::patientName).containsExactly(patientName);
        }
    }
}
