-- Approvals (the two-person rule). An execution that needs approvals keeps how many, fixed when it
-- was requested, and the moment it expires if they have not all come; executions from before this
-- need none. Until it is approved, and after until a process claims it, its runner is '': it
-- belongs to no process, so no restart marks it interrupted.
ALTER TABLE executions ADD COLUMN approvals_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN approval_deadline BIGINT;

-- Each approver's decision on one execution: one per approver (a second one is refused), never
-- changed. The chain holds each of them too (approval.granted, approval.denied).
CREATE TABLE approvals (
  execution_id TEXT    NOT NULL REFERENCES executions (id),
  approver     TEXT    NOT NULL,
  approved     BOOLEAN NOT NULL,
  decided_at   BIGINT  NOT NULL,
  comment      TEXT,
  PRIMARY KEY (execution_id, approver)
);
