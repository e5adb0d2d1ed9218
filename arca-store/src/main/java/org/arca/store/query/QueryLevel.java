package org.arca.store.query;

import java.util.Optional;

/** The Query/Retrieve Level (0008,0052) of a C-FIND, from the top of the hierarchy down (PS3.4 C.3). */
public enum QueryLevel {
    PATIENT,
    STUDY,
    SERIES,
    IMAGE;

    /** Parses the code string of (0008,0052); returns empty for any other value. */
    public static Optional<QueryLevel> parse(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (QueryLevel level : values()) {
            if (level.name().equals(code.trim())) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** Returns true when this level is the given level or lies above it. */
    public boolean isAtOrAbove(QueryLevel other) {
        return ordinal() <= other.ordinal();
    }
}
