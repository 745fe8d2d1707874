-- prorch for Java: pipelines and their steps (MariaDB 10.6+). ${prefix} is the configured table prefix.
-- The tables are those of PostgreSQL, in MariaDB's types:
--  * ids are CHAR(36) in ASCII (MariaDB's UUID type needs 10.7, and claims need only 10.6);
--  * instants are DATETIME(6) holding UTC: a DATETIME is never converted by the session's time_zone (a TIMESTAMP
--    would be, and ends in 2038), and prorch binds and reads UTC values;
--  * JSON is MariaDB's JSON, an alias of LONGTEXT that checks the text is JSON;
--  * text compares as bytes, trailing spaces included (utf8mb4_nopad_bin), as it does on PostgreSQL and H2: names,
--    claim owners and idempotency keys that differ only in case or trailing spaces are different.
CREATE TABLE ${prefix}pipelines (
    uuid             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    name             VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    step_names       JSON         NOT NULL,
    current_step     INTEGER      NOT NULL,
    metadata         JSON         NOT NULL,
    version          BIGINT       NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    due_at           DATETIME(6),
    claim_owner      VARCHAR(200),
    claim_expires_at DATETIME(6),
    last_error       LONGTEXT,
    idempotency_key  VARCHAR(200),
    -- the claim asks for pending pipelines in due order: MariaDB has no partial index, so the status leads and the
    -- claim reads the pending range in due order, stopping at its limit, whatever the history
    INDEX ${prefix}pipelines_due (status, due_at),
    -- several NULLs are allowed in a unique index
    UNIQUE INDEX ${prefix}pipelines_idempotency_key (idempotency_key),
    INDEX ${prefix}pipelines_name_status (name, status)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;

CREATE TABLE ${prefix}pipeline_steps (
    uuid          CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    pipeline_uuid CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name          VARCHAR(200) NOT NULL,
    position      INTEGER      NOT NULL,
    status        VARCHAR(16)  NOT NULL,
    metadata      JSON         NOT NULL,
    attempts      INTEGER      NOT NULL,
    version       BIGINT       NOT NULL,
    created_at    DATETIME(6)  NOT NULL,
    updated_at    DATETIME(6)  NOT NULL,
    last_error    LONGTEXT,
    INDEX ${prefix}pipeline_steps_pipeline (pipeline_uuid, position)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
