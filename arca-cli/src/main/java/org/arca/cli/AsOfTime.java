package org.arca.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Reads the TIME of {@code arca restore --as-of}: an ISO-8601 instant ({@code 2026-12-04T22:10:00Z}),
 * a date-time with an offset ({@code 2026-12-04T23:10:00+01:00}), or a local date-time
 * ({@code 2026-12-04T23:10:00}) taken in the given time zone. Fractions of a second are kept.
 */
final class AsOfTime {

    private AsOfTime() {
    }

    static Instant parse(String text, ZoneId zone) throws CliException {
        String value = text.strip();
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            // Try the next form.
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException notOffset) {
            // Try the next form.
        }
        try {
            return LocalDateTime.parse(value.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new CliException("--as-of '" + text + "' is not an ISO-8601 time; use an instant such as "
                    + "2026-12-04T22:10:00Z, or a local date-time such as 2026-12-04T23:10:00, which is read in "
                    + "the time zone " + zone + " (change it with --zone).", e);
        }
    }
}
