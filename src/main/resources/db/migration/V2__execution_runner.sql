-- The process that runs each execution (see Runners): a process starting later marks as
-- interrupted only the executions whose process died, not those another live process runs (a
-- `chatops run` beside the service). Executions from before this column have none: their process
-- is gone.
ALTER TABLE executions ADD COLUMN runner TEXT NOT NULL DEFAULT '';
