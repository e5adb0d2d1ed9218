package org.arca.store.cdp;

import java.time.Instant;
import java.util.List;

/**
 * What a restore to a point in time would change.
 *
 * @param asOf the requested point in time
 * @param asOfSequence the last journal sequence written at or before {@code asOf}
 * @param studyInstanceUid the one study restored, or null for the whole archive
 * @param changes every difference between the current state and the state as of {@code asOf}
 */
public record RestorePlan(Instant asOf, long asOfSequence, String studyInstanceUid, List<PlannedChange> changes) {
}
