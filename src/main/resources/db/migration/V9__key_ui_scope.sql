-- Whether a key may sign in to the web dashboard (`chatops keys create --ui`). A dashboard session
-- lasts hours and lives in a browser, a wider exposure than a key in a script's environment, so
-- it is a scope granted on purpose: keys from before this column may not sign in.
ALTER TABLE api_keys ADD COLUMN ui BOOLEAN NOT NULL DEFAULT FALSE;
