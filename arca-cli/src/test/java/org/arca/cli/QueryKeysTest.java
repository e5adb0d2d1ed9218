package org.arca.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.junit.jupiter.api.Test;

/** The identifier that `arca find|move|get` builds from -k keys. */
class QueryKeysTest {

    @Test
    void asciiValuesNeedNoCharacterSet() {
        Attributes identifier = QueryKeys.identifier(List.of("PatientName=DOE*", "StudyInstanceUID"), "STUDY");

        assertThat(identifier.contains(Tag.SpecificCharacterSet)).isFalse();
        assertThat(identifier.getString(Tag.PatientName)).isEqualTo("DOE*");
        assertThat(identifier.contains(Tag.StudyInstanceUID)).as("return key").isTrue();
        assertThat(identifier.getString(Tag.QueryRetrieveLevel)).isEqualTo("STUDY");
    }

    @Test
    void nonAsciiValueIsSentInUtf8() {
        Attributes identifier = QueryKeys.identifier(List.of("PatientName=Люк*"), "STUDY");

        assertThat(identifier.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        assertThat(identifier.getBytes(Tag.PatientName)).startsWith("Люк*".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void characterSetKeyAppliesToEarlierKeys() {
        Attributes identifier = QueryKeys.identifier(List.of("PatientName=Müller*",
                "SpecificCharacterSet=ISO_IR 100"), "STUDY");

        assertThat(identifier.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
        assertThat(identifier.getBytes(Tag.PatientName)).startsWith("Müller*".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void unknownKeywordIsNamed() {
        assertThatThrownBy(() -> QueryKeys.identifier(List.of("PatientNam=X"), "STUDY"))
                .hasMessageContaining("PatientNam");
    }
}
