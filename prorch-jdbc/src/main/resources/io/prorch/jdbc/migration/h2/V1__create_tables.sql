-- prorch for Java: pipelines and their steps (H2). ${prefix} is the configured table prefix.
CREATE TABLE ${prefix}pipelines (
    uuid             UUID                        NOT NULL PRIMARY KEY,
    name             VARCHAR(200)                NOT NULL,
    status           VARCHAR(16)                 NOT NULL,
    step_names       CHARACTER LARGE OBJECT      NOT NULL,
    current_step     INTEGER                     NOT NULL,
    metadata         CHARACTER LARGE OBJECT      NOT NULL,
    version          BIGINT                      NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    due_at           TIMESTAMP(6) WITH TIME ZONE,
    claim_owner      VARCHAR(200),
    claim_expires_at TIMESTAMP(6) WITH TIME ZONE,
    last_error       CHARACTER LARGE OBJECT,
    idempotency_key  VARCHAR(200)
);

-- H2 has no partial indexes; ended pipelines have a NULL due_at, which the range scan skips
CREATE INDEX ${prefix}pipelines_due ON ${prefix}pipelines (due_at);
-- H2 allows several NULLs in a unique index
CREATE UNIQUE INDEX ${prefix}pipelines_idempotency_key ON ${prefix}pipelines (idempotency_key);
CREATE INDEX ${prefix}pipelines_name_status ON ${prefix}pipelines (name, status);

CREATE TABLE ${prefix}pipeline_steps (
    uuid          UUID                        NOT NULL PRIMARY KEY,
    pipeline_uuid UUID                        NOT NULL,
    name          VARCHAR(200)                NOT NULL,
    position      INTEGER                     NOT NULL,
    status        VARCHAR(16)                 NOT NULL,
    metadata      CHARACTER LARGE OBJECT      NOT NULL,
    attempts      INTEGER                     NOT NULL,
    version       BIGINT                      NOT NULL,
    created_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_error    CHARACTER LARGE OBJECT
);

CREATE INDEX ${prefix}pipeline_steps_pipeline ON ${prefix}pipeline_steps (pipeline_uuid, position);
