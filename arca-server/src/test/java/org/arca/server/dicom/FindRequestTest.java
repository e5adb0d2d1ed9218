package org.arca.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.arca.dicom.data.Attributes;
import org.arca.dicom.data.Tag;
import org.arca.dicom.data.VR;
import org.arca.dicom.io.DicomInputStream;
import org.arca.dicom.io.ReadOptions;
import org.arca.dicom.uid.TransferSyntax;
import org.arca.store.query.InformationModel;
import org.arca.store.query.InvalidQueryException;
import org.arca.store.query.Matching;
import org.arca.store.query.QueryAttribute;
import org.arca.store.query.QueryLevel;
import org.arca.store.query.QueryMatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FindRequestTest {

    private static Attributes studyQuery(String characterSet) {
        Attributes identifier = new Attributes();
        if (characterSet != null) {
            identifier.setString(Tag.SpecificCharacterSet, VR.CS, characterSet);
        }
        identifier.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        identifier.setBytes(Tag.StudyInstanceUID, VR.UI, new byte[0]);
        return identifier;
    }

    @Test
    @DisplayName("PS3.5 6.1: query values are decoded with the identifier's Specific Character Set")
    void decodesWithCharacterSet() throws Exception {
        Attributes identifier = studyQuery("ISO_IR 100");
        identifier.setString(Tag.PatientName, VR.PN, "Buc^Jérôme");
        assertThat(identifier.getBytes(Tag.PatientName)).contains((byte) 0xE9);

        FindRequest request = FindRequest.parse(identifier, InformationModel.STUDY_ROOT, true);

        assertThat(request.query().matching(QueryAttribute.PATIENT_NAME))
                .isEqualTo(new Matching.SingleValue("Buc^Jérôme"));
        assertThat(request.query().level()).isEqualTo(QueryLevel.STUDY);
    }

    @Test
    @DisplayName("PS3.4 C.4.1.1.4: unknown keys and sequences are unsupported; Instance Availability is not")
    void unsupportedKeys() throws Exception {
        Attributes identifier = studyQuery(null);
        identifier.setString(Tag.PerformingPhysicianName, VR.PN, "Nobody");
        identifier.newSequence(Tag.ProcedureCodeSequence);
        identifier.setBytes(Tag.InstanceAvailability, VR.CS, new byte[0]);
        identifier.setBytes(Tag.SeriesInstanceUID, VR.UI, new byte[0]);

        FindRequest request = FindRequest.parse(identifier, InformationModel.STUDY_ROOT, true);

        assertThat(request.unsupportedKeys()).containsExactlyInAnyOrder(Tag.PerformingPhysicianName,
                Tag.ProcedureCodeSequence, Tag.SeriesInstanceUID);
        assertThat(request.returnKeys()).extracting(FindRequest.ReturnKey::tag).contains(Tag.InstanceAvailability,
                Tag.StudyInstanceUID);
    }

    @Test
    @DisplayName("PS3.4 C.4.1.1.3.1: a missing or unknown Query/Retrieve Level is rejected")
    void invalidLevel() {
        Attributes missing = new Attributes();
        missing.setBytes(Tag.PatientID, VR.LO, new byte[0]);
        assertThatThrownBy(() -> FindRequest.parse(missing, InformationModel.PATIENT_ROOT, true))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("(0008,0052)");

        Attributes unknown = new Attributes();
        unknown.setString(Tag.QueryRetrieveLevel, VR.CS, "FRAME");
        assertThatThrownBy(() -> FindRequest.parse(unknown, InformationModel.PATIENT_ROOT, true))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("FRAME");
    }

    @Test
    @DisplayName("PS3.4 C.4.1.1.3.2: a response has the requested keys in UTF-8, plus level and AE title")
    void responseIdentifier() throws Exception {
        Attributes identifier = studyQuery("ISO_IR 100");
        identifier.setBytes(Tag.PatientName, VR.PN, new byte[0]);
        identifier.setBytes(Tag.AccessionNumber, VR.SH, new byte[0]);
        FindRequest request = FindRequest.parse(identifier, InformationModel.STUDY_ROOT, true);
        Map<QueryAttribute, String> values = new HashMap<>();
        values.put(QueryAttribute.PATIENT_NAME, "Yamada^Tarou=山田^太郎");
        values.put(QueryAttribute.STUDY_INSTANCE_UID, "1.2.3");
        values.put(QueryAttribute.ACCESSION_NUMBER, null);
        values.put(QueryAttribute.PATIENT_ID, "NOT-REQUESTED");

        byte[] encoded = FindResponses.encode(new FindResponses("ARCA").identifier(request, QueryMatch.of(values)),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Attributes response = new DicomInputStream(new ByteArrayInputStream(encoded),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).readDataset(ReadOptions.keepAll());

        assertThat(response.getString(Tag.SpecificCharacterSet)).isEqualTo("ISO_IR 192");
        assertThat(response.getString(Tag.PatientName)).isEqualTo("Yamada^Tarou=山田^太郎");
        assertThat(new String(response.getBytes(Tag.PatientName), StandardCharsets.UTF_8).trim())
                .isEqualTo("Yamada^Tarou=山田^太郎");
        assertThat(response.getString(Tag.StudyInstanceUID)).isEqualTo("1.2.3");
        assertThat(response.contains(Tag.AccessionNumber)).isTrue();
        assertThat(response.getBytes(Tag.AccessionNumber)).isEmpty();
        assertThat(response.contains(Tag.PatientID)).isFalse();
        assertThat(response.getString(Tag.QueryRetrieveLevel)).isEqualTo("STUDY");
        assertThat(response.getString(Tag.RetrieveAETitle)).isEqualTo("ARCA");
    }
}
