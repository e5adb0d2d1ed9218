package org.arca.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.arca.store.TestClock;
import org.arca.store.cdp.ChangeAuthor;
import org.arca.store.cdp.ChangeException;
import org.arca.store.cdp.ChangeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests of setting and releasing legal holds as journal records, and of the changes they reject. */
class LegalHoldTest {

    private static final String STUDY = "1.2.826.0.1.3680043.8.498.7";
    private static final ChangeAuthor BOB = new ChangeAuthor("bob", "case 2026-17");

    @TempDir
    Path temp;

    private RetentionFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = new RetentionFixture(temp.resolve("arca-data"), new TestClock(Instant.parse("2026-03-01T09:00:00Z")));
        fixture.store(STUDY, STUDY + ".1.1", "DOE^JANE");
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void holdIsJournaledAndListed() throws Exception {
        ChangeResult result = fixture.data.retention().setLegalHold(STUDY, true, BOB);

        assertThat(result.journalSequence()).isEqualTo(fixture.data.journal().lastSequence());
        assertThat(result.instancesAffected()).isEqualTo(1);
        assertThat(fixture.data.retention().legalHolds()).singleElement().satisfies(hold -> {
            assertThat(hold.studyInstanceUid()).isEqualTo(STUDY);
            assertThat(hold.user()).isEqualTo("bob");
            assertThat(hold.reason()).isEqualTo("case 2026-17");
            assertThat(hold.heldAtMillis()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z").toEpochMilli());
        });
    }

    @Test
    void holdSurvivesReopen() throws Exception {
        fixture.data.retention().setLegalHold(STUDY, true, BOB);

        fixture.reopen();

        assertThat(fixture.data.retention().legalHold(STUDY)).isPresent();
    }

    @Test
    void releaseRemovesHold() throws Exception {
        fixture.data.retention().setLegalHold(STUDY, true, BOB);

        fixture.data.retention().setLegalHold(STUDY, false, new ChangeAuthor("bob", "case closed"));

        assertThat(fixture.data.retention().legalHolds()).isEmpty();
    }

    @Test
    void holdOnDeletedStudyAllowed() throws Exception {
        fixture.deleteStudy(STUDY);

        fixture.data.retention().setLegalHold(STUDY, true, BOB);

        assertThat(fixture.data.retention().legalHold(STUDY)).isPresent();
    }

    @Test
    void unknownStudyRejected() {
        assertThatThrownBy(() -> fixture.data.retention().setLegalHold("1.2.3.999", true, BOB))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("1.2.3.999")
                .satisfies(e -> assertThat(((ChangeException) e).reason()).isEqualTo(ChangeException.Reason.NOT_FOUND));
    }

    @Test
    void secondHoldRejected() throws Exception {
        fixture.data.retention().setLegalHold(STUDY, true, BOB);
        long lastSequence = fixture.data.journal().lastSequence();

        assertThatThrownBy(() -> fixture.data.retention().setLegalHold(STUDY, true, BOB))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("already under legal hold")
                .satisfies(e -> assertThat(((ChangeException) e).reason()).isEqualTo(ChangeException.Reason.CONFLICT));
        assertThat(fixture.data.journal().lastSequence()).isEqualTo(lastSequence);
    }

    @Test
    void releaseWithoutHoldRejected() {
        assertThatThrownBy(() -> fixture.data.retention().setLegalHold(STUDY, false, BOB))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("not under legal hold");
    }

    @Test
    void blankReasonRejected() {
        assertThatThrownBy(() -> fixture.data.retention().setLegalHold(STUDY, true, new ChangeAuthor("bob", " ")))
                .isInstanceOf(ChangeException.class)
                .hasMessageContaining("needs a reason")
                .satisfies(e -> assertThat(((ChangeException) e).reason()).isEqualTo(ChangeException.Reason.INVALID));
    }
}
