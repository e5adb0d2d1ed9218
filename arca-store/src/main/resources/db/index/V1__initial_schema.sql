-- Initial schema of the Arca index: Patient, Study, Series, SOP Instance and
-- one row per stored version of a SOP Instance.
--
-- The index is derived from the journal and can be rebuilt from it. Text
-- columns hold Unicode decoded by the caller from the dataset's Specific
-- Character Set. Dates (DA) stay as YYYYMMDD and times (TM) as HHMMSS.FFFFFF
-- text, so that string comparison orders them.

-- One row (id = 1): the highest journal sequence applied to this index.
CREATE TABLE index_state (
    id                            INTEGER PRIMARY KEY CHECK (id = 1),
    last_applied_journal_sequence INTEGER NOT NULL
);
INSERT INTO index_state (id, last_applied_journal_sequence) VALUES (1, 0);

-- PatientID and IssuerOfPatientID are '' when absent, so that the unique key
-- also matches patients without an issuer (SQLite treats NULLs as distinct).
CREATE TABLE patients (
    patient_key          INTEGER PRIMARY KEY,
    patient_id           TEXT NOT NULL,
    issuer_of_patient_id TEXT NOT NULL,
    patient_name         TEXT,
    patient_name_upper   TEXT,
    patient_birth_date   TEXT,
    patient_sex          TEXT,
    UNIQUE (patient_id, issuer_of_patient_id)
);
CREATE INDEX patients_by_name_upper ON patients (patient_name_upper);

-- modalities_in_study is derived from the series: distinct Modality values,
-- sorted and joined with a backslash as in a multi-valued CS element.
CREATE TABLE studies (
    study_key                INTEGER PRIMARY KEY,
    patient_key              INTEGER NOT NULL REFERENCES patients (patient_key),
    study_instance_uid       TEXT NOT NULL UNIQUE,
    study_date               TEXT,
    study_time               TEXT,
    accession_number         TEXT,
    study_id                 TEXT,
    study_description        TEXT,
    referring_physician_name TEXT,
    modalities_in_study      TEXT NOT NULL DEFAULT '',
    number_of_series         INTEGER NOT NULL DEFAULT 0,
    number_of_instances      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX studies_by_patient ON studies (patient_key);
CREATE INDEX studies_by_date ON studies (study_date);
CREATE INDEX studies_by_accession_number ON studies (accession_number);

CREATE TABLE series (
    series_key          INTEGER PRIMARY KEY,
    study_key           INTEGER NOT NULL REFERENCES studies (study_key),
    series_instance_uid TEXT NOT NULL UNIQUE,
    modality            TEXT,
    series_number       TEXT,
    series_description  TEXT,
    body_part_examined  TEXT,
    number_of_instances INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_by_study ON series (study_key);

-- An instance belongs to the series of its current version, which is the
-- version with the highest number.
CREATE TABLE instances (
    instance_key        INTEGER PRIMARY KEY,
    sop_instance_uid    TEXT NOT NULL UNIQUE,
    series_key          INTEGER NOT NULL REFERENCES series (series_key),
    current_version_key INTEGER NOT NULL REFERENCES instance_versions (version_key)
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX instances_by_series ON instances (series_key);

-- One row per stored version of a SOP Instance. journal_sequence is the
-- sequence of the INSTANCE_STORED journal record that stored the version.
CREATE TABLE instance_versions (
    version_key            INTEGER PRIMARY KEY,
    instance_key           INTEGER NOT NULL REFERENCES instances (instance_key)
        DEFERRABLE INITIALLY DEFERRED,
    series_key             INTEGER NOT NULL REFERENCES series (series_key),
    sop_instance_uid       TEXT NOT NULL,
    version                INTEGER NOT NULL CHECK (version >= 1),
    sop_class_uid          TEXT NOT NULL,
    instance_number        TEXT,
    transfer_syntax_uid    TEXT NOT NULL,
    specific_character_set TEXT,
    blob_sha256            TEXT NOT NULL CHECK (length(blob_sha256) = 64),
    size_bytes             INTEGER NOT NULL CHECK (size_bytes >= 0),
    journal_sequence       INTEGER NOT NULL UNIQUE,
    received_at_millis     INTEGER NOT NULL,
    source_ae_title        TEXT,
    UNIQUE (sop_instance_uid, version)
);
CREATE INDEX instance_versions_by_instance ON instance_versions (instance_key);
CREATE INDEX instance_versions_by_series ON instance_versions (series_key);
CREATE INDEX instance_versions_by_blob ON instance_versions (blob_sha256);
