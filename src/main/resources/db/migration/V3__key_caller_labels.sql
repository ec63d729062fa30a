-- Whether a key's triggers may carry labels of their own. Such labels are asserted by the caller and
-- nothing verifies them; `chatops keys create --no-caller-labels` makes a key that may send none
-- (and so can trigger only intents that require none). Keys from before this column keep what
-- they could do: they may.
ALTER TABLE api_keys ADD COLUMN caller_labels BOOLEAN NOT NULL DEFAULT TRUE;
