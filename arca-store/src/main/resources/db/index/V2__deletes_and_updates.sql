-- Deletes, undeletes and attribute updates of the archive's change records
-- (DELETED, UNDELETED, STUDY_UPDATED, RESTORED journal records).
--
-- A deleted SOP Instance keeps its rows and its blobs. deleted_sequence is the
-- journal sequence of the record that hid it, and NULL while it is visible. Every
-- read path and the derived counts leave deleted instances out, so a series,
-- study or patient without a visible instance is hidden too.
ALTER TABLE instances ADD COLUMN deleted_sequence INTEGER;
CREATE INDEX instances_deleted ON instances (deleted_sequence) WHERE deleted_sequence IS NOT NULL;

-- updated_sequence is the journal sequence of the last record that set the
-- row's attributes by hand (an update or a restore), NULL for rows that only
-- ingests wrote. A later ingest does not fill in the attributes of such a row,
-- and does not move such a study to the patient named in its dataset.
ALTER TABLE studies ADD COLUMN updated_sequence INTEGER;
ALTER TABLE patients ADD COLUMN updated_sequence INTEGER;
