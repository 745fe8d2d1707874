-- prorch for Java: limits on queues of pipelines (MariaDB). ${prefix} is the configured table prefix.
-- A pipeline's priority within its queue, copied from its metadata key "_prorch.priority" on every write, so that a
-- limited claim can take the highest first; the index serves that read (pending rows of a name by priority, then due
-- time) and the count of a queue's claimed pipelines.
ALTER TABLE ${prefix}pipelines ADD COLUMN priority INTEGER NOT NULL DEFAULT 0,
    ADD INDEX ${prefix}pipelines_queue (status, name, priority, due_at);

-- One row per limited queue: the claim locks it (SELECT ... FOR UPDATE) so that claims of one queue take turns, and
-- keeps there the time from which the queue's rate allows the next claim.
CREATE TABLE ${prefix}pipeline_queues (
    name         VARCHAR(200) NOT NULL PRIMARY KEY,
    next_free_at DATETIME(6)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin;
