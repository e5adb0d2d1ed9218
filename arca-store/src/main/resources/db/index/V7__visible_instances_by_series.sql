-- Every ingest recounts the visible instances of its series. With only the index on
-- series_key, SQLite read each instance row of the series to test deleted_sequence.
-- This index covers the count. SR over 1 association, index update per
-- instance: about 315 to 285 us with 4 series of 500, 340 to 308 us with one of 2,000.
CREATE INDEX instances_visible_by_series ON instances (series_key, deleted_sequence)
    WHERE deleted_sequence IS NULL;
