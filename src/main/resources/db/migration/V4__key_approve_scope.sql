-- The intents whose executions a key may approve (two-person rule), a JSON array of globs as
-- `intents` is; `chatops keys create --approve GLOB`. Keys from before this column approve nothing.
ALTER TABLE api_keys ADD COLUMN approve TEXT NOT NULL DEFAULT '[]';
