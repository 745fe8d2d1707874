-- prorch for Java: what operators read (MariaDB 10.6+). ${prefix} is the configured table prefix.
-- Lists are newest first by created_at, which never changes, so the index is written only when a pipeline starts and
-- when it ends (its status changes); InnoDB appends the primary key, uuid, to it.
CREATE INDEX ${prefix}pipelines_status_created ON ${prefix}pipelines (status, created_at);
CREATE INDEX ${prefix}pipelines_created ON ${prefix}pipelines (created_at);

-- History: one row per transition or operator action, inserted in the transition's own transaction, never updated.
CREATE TABLE ${prefix}pipeline_history (
    uuid            CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    pipeline_uuid   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    step_name       VARCHAR(200),
    position        INTEGER      NOT NULL,
    from_status     VARCHAR(16),
    to_status       VARCHAR(16)  NOT NULL,
    attempt         INTEGER      NOT NULL,
    orchestrator_id VARCHAR(200),
    created_at      DATETIME(6)  NOT NULL,
    error_type      VARCHAR(200),
    error_message   TEXT,
    error_stack     TEXT,
    signal_name     VARCHAR(200),
    action          VARCHAR(16),
    actor           VARCHAR(200),
    reason          TEXT,
    INDEX ${prefix}pipeline_history_pipeline (pipeline_uuid, created_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
