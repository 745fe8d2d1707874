-- prorch for Java: one index of history instead of two (H2). ${prefix} is the configured table prefix.
-- H2 keeps a table's rows by an internal row id, so the uuid primary key and the (pipeline_uuid, created_at, uuid)
-- index were two more trees that every history row was inserted into, on every transition: most of what history cost
-- the committer (JFR, BENCHMARKS.md 2026-12-07). One key, (pipeline_uuid, uuid), serves both the reads by pipeline
-- (a pipeline's few entries, then sorted by created_at and uuid) and the duplicate check of an entry's id (ids are
-- random in their low half, and an entry's pipeline never changes). A read of one entry by its id alone, which only
-- the engine's check after a failed write does, scans the table, as other rare reads on H2 do (V1).
ALTER TABLE ${prefix}pipeline_history DROP PRIMARY KEY;
DROP INDEX ${prefix}pipeline_history_pipeline;
ALTER TABLE ${prefix}pipeline_history ADD CONSTRAINT ${prefix}pipeline_history_key PRIMARY KEY (pipeline_uuid, uuid);
