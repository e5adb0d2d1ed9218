package org.arca.store.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletes, updates and restores are journal records too, so a reconciliation after them is clean. */
class ReconcileAfterChangesTest {

    static final ChangeAuthor ADMIN = new ChangeAuthor("admin", "test");

    @TempDir
    Path temp;

    ReconcileFixture fixture;
    String study;

    @BeforeEach
    void ingestThreeInstances() throws Exception {
        fixture = new ReconcileFixture(temp.resolve("data"), 3);
        study = fixture.data.index().instancesOfStudy(
                fixture.data.index().studies(fixture.data.index().patients().get(0).patientKey()).get(0)
                        .studyInstanceUid(), false).get(0).studyInstanceUid();
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void patientIdUpdateIsClean() throws Exception {
        fixture.data.changes().updateStudy(study, Map.of("PatientID", "NEW-ID", "PatientName", "ROE^JOHN",
                "StudyDescription", "Corrected"), ADMIN);

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.isClean()).as("report %s", report).isTrue();
    }

    @Test
    void ingestAfterUpdateIsClean() throws Exception {
        fixture.data.changes().updateStudy(study, Map.of("PatientName", "ROE^JOHN"), ADMIN);
        fixture.ingest(ReconcileFixture.UID_PREFIX + ".4", "DOE^JANE");

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.isClean()).as("report %s", report).isTrue();
    }

    @Test
    void deleteAndRestoreAreClean() throws Exception {
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.data.changes().updateStudy(study, Map.of("PatientID", "NEW-ID"), ADMIN);
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.data.changes().delete(ChangeLevel.STUDY, study, ADMIN);
        fixture.clock.advance(Duration.ofMinutes(1));
        fixture.data.changes().restore(fixture.clock.instant().minus(Duration.ofSeconds(150)), null, ADMIN);

        ReconcileReport report = fixture.reconcile(false);

        assertThat(report.isClean()).as("report %s", report).isTrue();
    }
}
