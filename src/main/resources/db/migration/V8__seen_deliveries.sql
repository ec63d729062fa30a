-- Deliveries received from services outside (GitHub delivery ids, Slack request signatures,
-- Discord interaction ids), so that a replay is refused, also after a restart. Delivery state,
-- not a decision: outside the chain; forgotten after a week (GitHub's replay window is ours to
-- choose, at least 24 hours).
CREATE TABLE seen_deliveries (
  source   TEXT    NOT NULL,
  id       TEXT    NOT NULL,
  seen_at  BIGINT  NOT NULL,
  PRIMARY KEY (source, id)
);
CREATE INDEX seen_deliveries_seen_at ON seen_deliveries (seen_at);
