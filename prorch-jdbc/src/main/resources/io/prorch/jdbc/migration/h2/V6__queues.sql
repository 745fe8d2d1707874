-- prorch for Java: limits on queues of pipelines (H2). ${prefix} is the configured table prefix.
-- A pipeline's priority within its queue, copied from its metadata key "_prorch.priority" on every write, so that a
-- limited claim can take the highest first. No index: H2 rewrites every index of a row on each UPDATE, and a limited
-- claim reads the queue's due rows through the due index.
ALTER TABLE ${prefix}pipelines ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;

-- One row per limited queue: the claim locks it (SELECT ... FOR UPDATE) so that claims of one queue take turns, and
-- keeps there the time from which the queue's rate allows the next claim.
CREATE TABLE ${prefix}pipeline_queues (
    name         VARCHAR(200)                NOT NULL PRIMARY KEY,
    next_free_at TIMESTAMP(6) WITH TIME ZONE
);
