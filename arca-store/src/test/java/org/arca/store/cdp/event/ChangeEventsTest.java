package org.arca.store.cdp.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.store.index.IndexEdit;
import org.arca.store.index.StudyAttributes;
import org.junit.jupiter.api.Test;

/** Reader tests of the change payloads, format version 1, from fixed JSON as stored in the journal. */
class ChangeEventsTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deletedVersion1Decodes() throws IOException {
        DeletedEvent event = DeletedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"level":"SERIES","uid":"2.25.1.1","studyInstanceUid":"2.25.1","user":"admin",
                 "reason":"wrong patient","sopInstanceUids":["2.25.1.1.1","2.25.1.1.2"]}"""), 7);

        assertThat(event).isEqualTo(new DeletedEvent(1, "SERIES", "2.25.1.1", "2.25.1", "admin", "wrong patient",
                List.of("2.25.1.1.1", "2.25.1.1.2")));
        assertThat(event.toIndexEdit()).isEqualTo(IndexEdit.hide(List.of("2.25.1.1.1", "2.25.1.1.2")));
        assertThat(DeletedEvent.fromJsonBytes(event.toJsonBytes(), 7)).isEqualTo(event);
    }

    @Test
    void undeletedVersion1Decodes() throws IOException {
        UndeletedEvent event = UndeletedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"level":"INSTANCE","uid":"2.25.1.1.1","studyInstanceUid":"2.25.1","user":"CT01",
                 "reason":"Stored again","sopInstanceUids":["2.25.1.1.1"]}"""), 8);

        assertThat(event.user()).isEqualTo("CT01");
        assertThat(event.toIndexEdit()).isEqualTo(IndexEdit.show(List.of("2.25.1.1.1")));
        assertThat(UndeletedEvent.fromJsonBytes(event.toJsonBytes(), 8)).isEqualTo(event);
    }

    @Test
    void studyUpdatedVersion1Decodes() throws IOException {
        StudyUpdatedEvent event = StudyUpdatedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"studyInstanceUid":"2.25.1","values":{"PatientID":"PID-2","StudyDescription":null},
                 "previousValues":{"PatientID":"PID-1","StudyDescription":"CT"},"user":"admin","reason":"merge"}"""),
                9);

        Map<String, String> values = new LinkedHashMap<>();
        values.put("PatientID", "PID-2");
        values.put("StudyDescription", null);
        assertThat(event.values()).isEqualTo(values);
        assertThat(event.toIndexEdit()).isEqualTo(IndexEdit.update(new StudyAttributes("2.25.1", values)));
        assertThat(StudyUpdatedEvent.fromJsonBytes(event.toJsonBytes(), 9)).isEqualTo(event);
    }

    @Test
    void restoredVersion1Decodes() throws IOException {
        RestoredEvent event = RestoredEvent.fromJsonBytes(json("""
                {"formatVersion":1,"asOfMillis":1796371200000,"asOfSequence":3,"scopeStudyInstanceUid":null,
                 "user":"admin","reason":"undo","studies":[
                  {"studyInstanceUid":"2.25.1","hiddenSopInstanceUids":["2.25.1.1.2"],
                   "shownSopInstanceUids":["2.25.1.1.1"],"currentVersions":{"2.25.1.1.3":1},
                   "values":{"AccessionNumber":"A1"},
                   "previousValues":{"AccessionNumber":"A2"}},
                  {"studyInstanceUid":"2.25.2","hiddenSopInstanceUids":["2.25.2.1.1"],
                   "shownSopInstanceUids":[],"values":{},"previousValues":{}}]}"""), 10);

        assertThat(event.asOfSequence()).isEqualTo(3);
        assertThat(event.scopeStudyInstanceUid()).isNull();
        assertThat(event.toIndexEdit()).isEqualTo(new IndexEdit(List.of("2.25.1.1.2", "2.25.2.1.1"),
                List.of("2.25.1.1.1"), Map.of("2.25.1.1.3", 1), List.of(new StudyAttributes("2.25.1", Map.of("AccessionNumber", "A1")))));
        assertThat(RestoredEvent.fromJsonBytes(event.toJsonBytes(), 10)).isEqualTo(event);
    }

    @Test
    void unknownFormatVersionIsRejected() {
        assertThatThrownBy(() -> DeletedEvent.fromJsonBytes(json("""
                {"formatVersion":2,"level":"STUDY","uid":"2.25.1","studyInstanceUid":"2.25.1","sopInstanceUids":[]}"""),
                11)).isInstanceOf(IOException.class).hasMessageContaining("format version 2");
        assertThatThrownBy(() -> RestoredEvent.fromJsonBytes(json("{\"formatVersion\":0,\"studies\":[]}"), 12))
                .isInstanceOf(IOException.class).hasMessageContaining("format version 0");
    }

    @Test
    void missingFieldIsRejected() {
        assertThatThrownBy(() -> DeletedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"level":"STUDY","uid":"2.25.1","studyInstanceUid":"2.25.1"}"""), 13))
                .isInstanceOf(IOException.class).hasMessageContaining("sopInstanceUids");
        assertThatThrownBy(() -> UndeletedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"level":"PATIENT","uid":"x","studyInstanceUid":"2.25.1","sopInstanceUids":[]}"""),
                14)).isInstanceOf(IOException.class).hasMessageContaining("level 'PATIENT'");
        assertThatThrownBy(() -> StudyUpdatedEvent.fromJsonBytes(json("""
                {"formatVersion":1,"studyInstanceUid":"2.25.1"}"""), 15))
                .isInstanceOf(IOException.class).hasMessageContaining("values");
    }
}
