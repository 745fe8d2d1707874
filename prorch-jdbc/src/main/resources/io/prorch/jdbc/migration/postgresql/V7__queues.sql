-- prorch for Java: limits on queues of pipelines (PostgreSQL). ${prefix} is the configured table prefix.
-- A pipeline's priority within its queue, copied from its metadata key "_prorch.priority" on every write, so that a
-- limited claim can take the highest first. Adding a column with a constant default rewrites no row.
ALTER TABLE ${prefix}pipelines ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
-- No index of its own: the limited claim finds a queue's pending pipelines, and counts its claimed ones, through
-- (name, status). A partial index of pending rows by (name, priority, due_at) was tried and dropped: the planner took
-- it for the plain due claim too, sorting every due row instead of reading pipelines_due in order.

-- One row per limited queue: the claim locks it (SELECT ... FOR UPDATE) so that claims of one queue take turns, and
-- keeps there the time from which the queue's rate allows the next claim.
CREATE TABLE ${prefix}pipeline_queues (
    name         VARCHAR(200) NOT NULL PRIMARY KEY,
    next_free_at TIMESTAMPTZ
);
