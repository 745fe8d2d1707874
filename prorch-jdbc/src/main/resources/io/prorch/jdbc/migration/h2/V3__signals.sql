-- prorch for Java: signals sent to pipelines (H2). ${prefix} is the configured table prefix.
-- A signal is inserted once and updated once (when a step consumes it), so it keeps one index beside its key: the
-- engine's read, a pipeline's pending signals (of a name) in the order they were sent, is a range of it.
CREATE TABLE ${prefix}pipeline_signals (
    uuid             UUID                        NOT NULL PRIMARY KEY,
    pipeline_uuid    UUID                        NOT NULL,
    name             VARCHAR(200)                NOT NULL,
    status           VARCHAR(16)                 NOT NULL,
    payload          CHARACTER LARGE OBJECT      NOT NULL,
    version          BIGINT                      NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    consumed_by_step INTEGER                     NOT NULL
);

CREATE INDEX ${prefix}pipeline_signals_pipeline ON ${prefix}pipeline_signals (pipeline_uuid, status, created_at, uuid);
