-- The BLOB_REPAIRED journal record that closed a damage finding, or NULL while the
-- finding is open. A repair closes every open finding of its blob.
ALTER TABLE blob_damage ADD COLUMN repaired_sequence INTEGER;
