package org.arca.store.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * How long the archive keeps what it can undo: the continuous data protection (CDP) window. Inside
 * the window every deleted instance can be undeleted and every earlier state restored, so its
 * bytes stay. After the window the bytes of deleted instances may be reclaimed, unless their study
 * is under legal hold.
 *
 * @param cdpWindow how far back restores and undeletes reach; at least one day
 * @param checkpointInterval how often a retention run writes an index checkpoint; at least one hour
 */
public record RetentionPolicy(Duration cdpWindow, Duration checkpointInterval) {

    public static final int DEFAULT_CDP_WINDOW_DAYS = 30;
    /** The maximum window, 100 years, which rejects a typo such as an extra digit. */
    public static final int MAX_CDP_WINDOW_DAYS = 36_500;
    public static final int DEFAULT_CHECKPOINT_INTERVAL_HOURS = 24;

    public RetentionPolicy {
        if (cdpWindow == null || cdpWindow.compareTo(Duration.ofDays(1)) < 0
                || cdpWindow.compareTo(Duration.ofDays(MAX_CDP_WINDOW_DAYS)) > 0) {
            throw new IllegalArgumentException("The CDP window " + cdpWindow + " is out of range; use 1 to "
                    + MAX_CDP_WINDOW_DAYS + " days.");
        }
        if (checkpointInterval == null || checkpointInterval.compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException("The checkpoint interval " + checkpointInterval
                    + " is too short; use at least one hour.");
        }
    }

    /** Returns a policy with a window of {@code cdpWindowDays} and the default checkpoint interval. */
    public static RetentionPolicy ofDays(int cdpWindowDays) {
        return new RetentionPolicy(Duration.ofDays(cdpWindowDays),
                Duration.ofHours(DEFAULT_CHECKPOINT_INTERVAL_HOURS));
    }

    public static RetentionPolicy defaults() {
        return ofDays(DEFAULT_CDP_WINDOW_DAYS);
    }

    /** Returns the start of the window at {@code now}: changes before it can no longer be undone. */
    public Instant windowStart(Instant now) {
        return now.minus(cdpWindow);
    }
}
