package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.dimse.DimseException;
import org.junit.jupiter.api.Test;

class RetrieveKeysTest {

    @Test
    void studyLevelTakesUidList() throws Exception {
        Attributes identifier = identifier("STUDY");
        identifier.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3", "1.2.4", "1.2.3");

        RetrieveKeys keys = RetrieveKeys.of(identifier, false);

        assertThat(keys.level()).isEqualTo(RetrieveLevel.STUDY);
        assertThat(keys.studyInstanceUids()).containsExactly("1.2.3", "1.2.4");
    }

    @Test
    void imageLevelKeepsUpperKeys() throws Exception {
        Attributes identifier = identifier("IMAGE");
        identifier.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        identifier.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4");
        identifier.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5", "1.2.3.4.6");

        RetrieveKeys keys = RetrieveKeys.of(identifier, true);

        assertThat(keys.sopInstanceUids()).containsExactly("1.2.3.4.5", "1.2.3.4.6");
        assertThat(keys.seriesInstanceUids()).containsExactly("1.2.3.4");
        assertThat(keys.studyInstanceUids()).containsExactly("1.2.3");
    }

    @Test
    void missingUniqueKeyIsA900() {
        Attributes identifier = identifier("SERIES");
        identifier.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");

        assertThatThrownBy(() -> RetrieveKeys.of(identifier, false))
                .isInstanceOfSatisfying(DimseException.class, e -> assertThat(e.status()).isEqualTo(0xA900))
                .hasMessageContaining("SeriesInstanceUID");
    }

    @Test
    void patientLevelNeedsPatientRoot() throws Exception {
        Attributes identifier = identifier("PATIENT");
        identifier.setString(Tag.PatientID, VR.LO, "P1");

        assertThat(RetrieveKeys.of(identifier, true).patientId()).isEqualTo("P1");
        assertThatThrownBy(() -> RetrieveKeys.of(identifier, false))
                .isInstanceOfSatisfying(DimseException.class, e -> assertThat(e.status()).isEqualTo(0xA900));
    }

    @Test
    void missingLevelIsA900() {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");

        assertThatThrownBy(() -> RetrieveKeys.of(identifier, false))
                .isInstanceOfSatisfying(DimseException.class, e -> assertThat(e.status()).isEqualTo(0xA900));
    }

    private static Attributes identifier(String level) {
        Attributes identifier = new Attributes();
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        return identifier;
    }
}
