-- Retention: legal holds on studies and blobs whose bytes were reclaimed.
-- Both tables are derived from LEGAL_HOLD_SET, LEGAL_HOLD_RELEASED and
-- BLOB_RECLAIMED journal records, like the rest of the index.

-- One row per study under legal hold. A release deletes the row. The blobs
-- of a held study are never reclaimed.
CREATE TABLE legal_holds (
    study_instance_uid TEXT PRIMARY KEY,
    held_by            TEXT NOT NULL,
    reason             TEXT NOT NULL,
    held_at_millis     INTEGER NOT NULL,
    journal_sequence   INTEGER NOT NULL
);

-- One row per reclaimed blob. journal_sequence is the sequence of its
-- BLOB_RECLAIMED record. The row stays when a sender stores the bytes again;
-- readers then see a version or a visible instance newer than the record
-- and no longer count the blob as reclaimed.
CREATE TABLE reclaimed_blobs (
    blob_sha256          TEXT PRIMARY KEY CHECK (length(blob_sha256) = 64),
    size_bytes           INTEGER NOT NULL CHECK (size_bytes >= 0),
    reason               TEXT NOT NULL,
    reclaimed_at_millis  INTEGER NOT NULL,
    journal_sequence     INTEGER NOT NULL
);
