-- prorch for Java: what operators read (H2). ${prefix} is the configured table prefix.
-- H2 rewrites every index of a row on each UPDATE (see V2), so the pipelines get no index for lists and counts:
-- on H2 they scan the table, which suits the sizes H2 is used for.

-- History: one row per transition or operator action, inserted in the transition's own transaction, never updated.
CREATE TABLE ${prefix}pipeline_history (
    uuid            UUID                        NOT NULL PRIMARY KEY,
    pipeline_uuid   UUID                        NOT NULL,
    step_name       VARCHAR(200),
    position        INTEGER                     NOT NULL,
    from_status     VARCHAR(16),
    to_status       VARCHAR(16)                 NOT NULL,
    attempt         INTEGER                     NOT NULL,
    orchestrator_id VARCHAR(200),
    created_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    error_type      VARCHAR(200),
    error_message   VARCHAR(1000),
    error_stack     VARCHAR(4000),
    signal_name     VARCHAR(200),
    action          VARCHAR(16),
    actor           VARCHAR(200),
    reason          VARCHAR(1000)
);

CREATE INDEX ${prefix}pipeline_history_pipeline ON ${prefix}pipeline_history (pipeline_uuid, created_at, uuid);
