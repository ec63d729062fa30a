-- Pruning deletes executions with their idempotency keys: find a key by its execution at once,
-- also for the foreign-key check that deleting an execution makes (without it, each deletion
-- scanned the whole table).
CREATE INDEX idempotency_keys_execution ON idempotency_keys (execution_id);
