-- prorch for Java: limits on queues of pipelines (PostgreSQL). ${prefix} is the configured table prefix.
-- A pipeline's priority within its queue, copied from its metadata key "_prorch.priority" on every write, so that a
-- limited claim can take the highest first. Adding a column with a constant default rewrites no row.
ALTER TABLE ${prefix}pipelines ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
-- The limited claim reads a queue's pending pipelines by priority, then due time, and counts its claimed ones.
CREATE INDEX ${prefix}pipelines_queue ON ${prefix}pipelines (name, priority DESC, due_at) WHERE status = 'pending';

-- One row per limited queue: the claim locks it (SELECT ... FOR UPDATE) so that claims of one queue take turns, and
-- keeps there the time from which the queue's rate allows the next claim.
CREATE TABLE ${prefix}pipeline_queues (
    name         VARCHAR(200) NOT NULL PRIMARY KEY,
    next_free_at TIMESTAMPTZ
);
