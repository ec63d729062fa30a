-- The dashboard's filters of the executions list (intent, status, actor), each read newest first
-- by keyset: the matched column, then (requested_at, id), so that a page of a rare match is read
-- in order from its index instead of by scanning every execution. The one on status serves the
-- lookups the single-column index served (pending approvals, unclaimed queued executions).
CREATE INDEX executions_by_intent ON executions (intent, requested_at, id);
CREATE INDEX executions_by_status ON executions (status, requested_at, id);
CREATE INDEX executions_by_actor ON executions (actor, requested_at, id);
DROP INDEX executions_status;
