-- Blob damage findings: one row per BLOB_DAMAGE_DETECTED journal record, so that a
-- node can count and show them without reading the journal. The table is derived
-- from the journal like every other one. An index that existed before it gets the
-- findings recorded from now on, and an index rebuild adds the older ones.
CREATE TABLE blob_damage (
    journal_sequence    INTEGER PRIMARY KEY,
    sop_instance_uid    TEXT NOT NULL,
    version             INTEGER NOT NULL,
    blob_sha256         TEXT NOT NULL CHECK (length(blob_sha256) = 64),
    path                TEXT NOT NULL,
    problem             TEXT NOT NULL,
    detected_by         TEXT NOT NULL,
    detected_at_millis  INTEGER NOT NULL
);

CREATE INDEX blob_damage_by_version ON blob_damage (sop_instance_uid, version, blob_sha256);
