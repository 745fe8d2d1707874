-- prorch for Java: a narrower index of history (PostgreSQL). ${prefix} is the configured table prefix.
-- Every transition inserts its history rows into this index at a random place (pipeline ids are random), so its
-- width is paid in pages dirtied and written to the WAL on every commit. A pipeline has a handful of entries: finding
-- them by pipeline id and sorting them by (created_at, uuid) costs nothing next to keeping both columns in the index.
-- Building the index locks writes to the history for as long as it takes, a moment for a few million rows.
DROP INDEX ${prefix}pipeline_history_pipeline;
CREATE INDEX ${prefix}pipeline_history_pipeline ON ${prefix}pipeline_history (pipeline_uuid);
