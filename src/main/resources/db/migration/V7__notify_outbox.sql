-- The notification outbox: messages waiting for, or done with, delivery to a notification channel.
-- A message caused by an audit record is inserted in the same transaction as that record, so a
-- restart loses none and a rolled-back write leaves none. It is delivery state, not a decision:
-- the audit chain does not cover it, and audit_seq has no foreign key to audit_log, because pruning
-- deletes old records while the messages they caused may still be pending (never deleted).
CREATE TABLE notify_outbox (
  id           BIGINT  NOT NULL PRIMARY KEY,
  channel      TEXT    NOT NULL,
  event        TEXT    NOT NULL,
  notice       TEXT    NOT NULL,
  audit_seq    BIGINT,
  created_at   BIGINT  NOT NULL,
  state        TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt BIGINT  NOT NULL,
  last_error   TEXT,
  ended_at     BIGINT,
  lease_owner  TEXT,
  lease_until  BIGINT
);

-- Leasing: the pending items due by now, oldest first.
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_attempt, id);

-- Listing one state newest first, counting per state.
CREATE INDEX notify_outbox_state ON notify_outbox (state, id);

-- Ids are never reused, not even after pruning has deleted the newest items: a channel's
-- deduplication key (a Matrix transaction id) derives from the id, and a reused one would be taken
-- for a retry of the old message. The counter holds the last id given; other processes may poll it
-- to learn that messages were added.
INSERT INTO store_versions (name, version) VALUES ('notify_outbox', 0);
