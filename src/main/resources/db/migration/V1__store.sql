-- The store's schema, in SQL that SQLite and PostgreSQL both accept: a PostgreSQL store shares it.
-- Times are microseconds since 1970-01-01T00:00:00Z in BIGINT columns (both databases keep
-- microseconds; Java instants are truncated to them before they are written). JSON is TEXT.

-- The audit trail: append-only, numbered 1, 2, 3... and hash-chained (see JdbcAuditTrail).
CREATE TABLE audit_log (
  seq           BIGINT NOT NULL PRIMARY KEY,
  at_micros     BIGINT NOT NULL,
  kind          TEXT   NOT NULL,
  actor         TEXT   NOT NULL,
  source        TEXT,
  intent        TEXT,
  execution_id  TEXT,
  detail        TEXT   NOT NULL,
  previous_hash TEXT   NOT NULL,
  hash          TEXT   NOT NULL
);

CREATE INDEX audit_log_execution ON audit_log (execution_id);

-- The newest record's number and hash, written in the same transaction as every append: deleting
-- the newest records is detected unless this row is forged too.
CREATE TABLE audit_head (
  id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  seq  BIGINT  NOT NULL,
  hash TEXT    NOT NULL
);

INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE executions (
  id           TEXT    NOT NULL PRIMARY KEY,
  intent       TEXT    NOT NULL,
  action       TEXT    NOT NULL,
  dry_run      BOOLEAN NOT NULL,
  status       TEXT    NOT NULL,
  actor        TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  params       TEXT    NOT NULL,
  labels       TEXT    NOT NULL,
  trigger_ref  TEXT    NOT NULL,
  requested_at BIGINT  NOT NULL,
  started_at   BIGINT,
  ended_at     BIGINT,
  summary      TEXT    NOT NULL,
  report       TEXT
);

CREATE INDEX executions_recent ON executions (requested_at, id);

CREATE INDEX executions_status ON executions (status);

-- Idempotency keys given by triggers, per API key name; rows older than 24 hours are ignored and
-- purged.
CREATE TABLE idempotency_keys (
  key_name     TEXT   NOT NULL,
  idem_key     TEXT   NOT NULL,
  request_hash TEXT   NOT NULL,
  execution_id TEXT   NOT NULL REFERENCES executions (id),
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (key_name, idem_key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- API keys: never the key, only its SHA-256.
CREATE TABLE api_keys (
  name         TEXT    NOT NULL PRIMARY KEY,
  key_hash     TEXT    NOT NULL UNIQUE,
  key_prefix   TEXT    NOT NULL,
  intents      TEXT    NOT NULL,
  dry_run_only BOOLEAN NOT NULL,
  created_at   BIGINT  NOT NULL,
  expires_at   BIGINT,
  revoked_at   BIGINT
);

-- Counters bumped by writes that other processes poll for (api_keys: every create and revoke).
CREATE TABLE store_versions (
  name    TEXT   NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
);

INSERT INTO store_versions (name, version) VALUES ('api_keys', 0);
