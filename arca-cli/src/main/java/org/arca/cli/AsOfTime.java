package org.arca.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A point in time given on the command line: an ISO-8601 instant with a zone offset
 * ({@code 2026-12-04T10:15:30Z}, {@code 2026-12-04T11:15:30+01:00}) or a local date-time without one
 * ({@code 2026-12-04T10:15:30}, also with a space for the T), read in the given zone.
 *
 * @param instant the point in time
 * @param zone the zone a local date-time was read in, null for an instant with an offset
 */
record AsOfTime(Instant instant, ZoneId zone) {

    static AsOfTime parse(String text, ZoneId localZone) throws CliException {
        String trimmed = text.trim();
        try {
            return new AsOfTime(OffsetDateTime.parse(trimmed).toInstant(), null);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDateTime local = LocalDateTime.parse(trimmed.replace(' ', 'T'));
                return new AsOfTime(local.atZone(localZone).toInstant(), localZone);
            } catch (DateTimeException e) {
                throw new CliException("--as-of '" + text + "' is not a time; give an ISO-8601 instant such as"
                        + " 2026-12-04T10:15:30Z or 2026-12-04T11:15:30+01:00, or a local date-time such as"
                        + " 2026-12-04T10:15:30, which is read in the time zone of this machine (" + localZone + ").",
                        e);
            }
        }
    }

    /** Returns the time as given and, for a local date-time, the zone it was read in. */
    String describe() {
        return zone == null ? instant.toString() : instant + " (local time in " + zone + ")";
    }
}
