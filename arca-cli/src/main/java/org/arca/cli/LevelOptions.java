package org.arca.cli;

import java.util.Locale;
import org.arca.store.cdp.ChangeLevel;
import picocli.CommandLine.Option;

/** Exactly one of --study, --series or --instance, for the commands that delete and undelete. */
final class LevelOptions {

    @Option(names = "--study", paramLabel = "UID", required = true, description = "Study Instance UID.")
    String study;

    @Option(names = "--series", paramLabel = "UID", required = true, description = "Series Instance UID.")
    String series;

    @Option(names = "--instance", paramLabel = "UID", required = true, description = "SOP Instance UID.")
    String instance;

    ChangeLevel level() {
        if (study != null) {
            return ChangeLevel.STUDY;
        }
        return series != null ? ChangeLevel.SERIES : ChangeLevel.INSTANCE;
    }

    String uid() {
        if (study != null) {
            return study;
        }
        return series != null ? series : instance;
    }

    /** Returns "study 1.2.3", for messages. */
    String describe() {
        return level().name().toLowerCase(Locale.ROOT) + " " + uid();
    }
}
