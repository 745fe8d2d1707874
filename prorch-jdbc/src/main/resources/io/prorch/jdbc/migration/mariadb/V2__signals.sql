-- prorch for Java: signals sent to pipelines (MariaDB 10.6+). ${prefix} is the configured table prefix.
-- The types are those of V1: ids CHAR(36) in ASCII, instants DATETIME(6) holding UTC, the payload JSON, text compared
-- as bytes. A signal is inserted once and updated once (when a step consumes it), so it keeps one index beside its
-- key: the engine's read, a pipeline's pending signals (of a name) in the order they were sent, is a range of it, in
-- the search order (InnoDB appends the primary key, uuid, to every secondary index).
CREATE TABLE ${prefix}pipeline_signals (
    uuid             CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    pipeline_uuid    CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name             VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    payload          JSON         NOT NULL,
    version          BIGINT       NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    updated_at       DATETIME(6)  NOT NULL,
    consumed_by_step INTEGER      NOT NULL,
    INDEX ${prefix}pipeline_signals_pipeline (pipeline_uuid, status, created_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
