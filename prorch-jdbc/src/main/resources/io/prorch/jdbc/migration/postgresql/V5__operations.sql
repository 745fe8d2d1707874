-- prorch for Java: what operators read (PostgreSQL). ${prefix} is the configured table prefix.
-- Lists are newest first by created_at, which never changes: an index on updated_at would be rewritten by every
-- transition and keep transitions from being HOT updates (V2). status changes only when a pipeline ends.
CREATE INDEX ${prefix}pipelines_status_created ON ${prefix}pipelines (status, created_at DESC, uuid DESC);
CREATE INDEX ${prefix}pipelines_created ON ${prefix}pipelines (created_at DESC, uuid DESC);
-- Counts: the pipelines that are not finished (few, in a healthy system) are counted exactly through this index; the
-- finished ones of a large table are estimated, split by name in the proportions these statistics give.
CREATE INDEX ${prefix}pipelines_unfinished ON ${prefix}pipelines (name, status) WHERE status <> 'finished';
CREATE STATISTICS ${prefix}pipelines_name_status_stats (mcv) ON name, status FROM ${prefix}pipelines;

-- History: one row per transition or operator action, inserted in the transition's own transaction, never updated.
CREATE TABLE ${prefix}pipeline_history (
    uuid            UUID         NOT NULL PRIMARY KEY,
    pipeline_uuid   UUID         NOT NULL,
    step_name       VARCHAR(200),
    position        INTEGER      NOT NULL,
    from_status     VARCHAR(16),
    to_status       VARCHAR(16)  NOT NULL,
    attempt         INTEGER      NOT NULL,
    orchestrator_id VARCHAR(200),
    created_at      TIMESTAMPTZ  NOT NULL,
    error_type      VARCHAR(200),
    error_message   TEXT,
    error_stack     TEXT,
    signal_name     VARCHAR(200),
    action          VARCHAR(16),
    actor           VARCHAR(200),
    reason          TEXT
);

CREATE INDEX ${prefix}pipeline_history_pipeline ON ${prefix}pipeline_history (pipeline_uuid, created_at, uuid);
