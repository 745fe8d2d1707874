-- prorch for Java: signals sent to pipelines (PostgreSQL). ${prefix} is the configured table prefix.
-- A signal is inserted once and updated once (when a step consumes it, which changes its status, so that update is
-- never HOT whatever the fill factor), so it keeps one index beside its key: the engine's read, a pipeline's pending
-- signals (of a name) in the order they were sent, is a range of it, in the search order (created_at, uuid). The
-- index holds consumed signals too, so that a pipeline's whole signal history is a range as well.
CREATE TABLE ${prefix}pipeline_signals (
    uuid             UUID         NOT NULL PRIMARY KEY,
    pipeline_uuid    UUID         NOT NULL,
    name             VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    payload          JSONB        NOT NULL,
    version          BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    consumed_by_step INTEGER      NOT NULL
);

CREATE INDEX ${prefix}pipeline_signals_pipeline ON ${prefix}pipeline_signals (pipeline_uuid, status, created_at, uuid);
