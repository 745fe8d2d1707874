-- The claim asks for pending pipelines in due order. An index of the due times of pending pipelines only answers it
-- as it is asked: in order, stopping at the limit, whatever the history. The index it replaces held every row with a
-- due time, which left the planner free to combine it with the (name, status) index in a bitmap scan and a sort that
-- read every pending row on every claim, a plan it chose on tables it had no statistics for (autovacuum off, say).
-- Building the index locks writes to the table for as long as it takes, a moment for tables of a few million rows.
DROP INDEX ${prefix}pipelines_due;
CREATE INDEX ${prefix}pipelines_due ON ${prefix}pipelines (due_at) WHERE status = 'pending';
