-- prorch for Java: pipelines and their steps (PostgreSQL). ${prefix} is the configured table prefix.
CREATE TABLE ${prefix}pipelines (
    uuid             UUID         NOT NULL PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    step_names       JSONB        NOT NULL,
    current_step     INTEGER      NOT NULL,
    metadata         JSONB        NOT NULL,
    version          BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    updated_at       TIMESTAMPTZ  NOT NULL,
    due_at           TIMESTAMPTZ,
    claim_owner      VARCHAR(200),
    claim_expires_at TIMESTAMPTZ,
    last_error       TEXT,
    idempotency_key  VARCHAR(200)
);

-- the due search: ended pipelines have no due_at, so history never enters this index
CREATE INDEX ${prefix}pipelines_due ON ${prefix}pipelines (due_at) WHERE due_at IS NOT NULL;
CREATE UNIQUE INDEX ${prefix}pipelines_idempotency_key ON ${prefix}pipelines (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX ${prefix}pipelines_name_status ON ${prefix}pipelines (name, status);

CREATE TABLE ${prefix}pipeline_steps (
    uuid          UUID         NOT NULL PRIMARY KEY,
    pipeline_uuid UUID         NOT NULL,
    name          VARCHAR(200) NOT NULL,
    position      INTEGER      NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    metadata      JSONB        NOT NULL,
    attempts      INTEGER      NOT NULL,
    version       BIGINT       NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL,
    updated_at    TIMESTAMPTZ  NOT NULL,
    last_error    TEXT
);

CREATE INDEX ${prefix}pipeline_steps_pipeline ON ${prefix}pipeline_steps (pipeline_uuid, position);
