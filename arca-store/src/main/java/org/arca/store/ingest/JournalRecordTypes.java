package org.arca.store.ingest;

/** The journal record types written by the archive; the journal itself treats them as opaque codes. */
public final class JournalRecordTypes {

    /** A SOP Instance version was stored; the payload is an {@link InstanceStoredEvent} in JSON. */
    public static final int INSTANCE_STORED = 1;

    private JournalRecordTypes() {
    }
}
