-- 018_scheduled_jobs.sql
-- Scheduled jobs (`ail jobs`, `ail scheduler`): job definitions and the history of their runs.
--
-- Re-runnable: applying it twice changes nothing and raises no error.
--   psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/018_scheduled_jobs.sql
-- Times are timestamptz (instants); the schedule is read in time_zone, so a job at 03:00
-- Europe/Berlin runs at 03:00 local time on both sides of a daylight-saving change.

CREATE TABLE IF NOT EXISTS scheduled_jobs (
    id                 bigserial PRIMARY KEY,
    name               text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$'),
    command            text[] NOT NULL CHECK (cardinality(command) BETWEEN 1 AND 200 AND array_position(command, NULL) IS NULL),
    schedule           text NOT NULL CHECK (length(schedule) BETWEEN 1 AND 200),
    time_zone          text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 100),
    enabled            boolean NOT NULL DEFAULT true,
    max_retries        integer NOT NULL DEFAULT 3 CHECK (max_retries BETWEEN 0 AND 20),
    retry_delay_s      integer NOT NULL DEFAULT 60 CHECK (retry_delay_s BETWEEN 1 AND 86400),
    keep_runs          integer NOT NULL DEFAULT 1000 CHECK (keep_runs BETWEEN 1 AND 1000000),
    keep_days          integer NOT NULL DEFAULT 90 CHECK (keep_days BETWEEN 1 AND 36500),
    next_run_at        timestamptz NOT NULL,
    retry_at           timestamptz,
    retry_attempt      integer CHECK (retry_attempt BETWEEN 2 AND 21),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK ((retry_at IS NULL) = (retry_attempt IS NULL))
);
COMMENT ON TABLE scheduled_jobs IS 'A job: an ail command line run on a five-field cron schedule in an IANA time zone (ail jobs add).';
COMMENT ON COLUMN scheduled_jobs.id IS 'Surrogate key; also the second key of the job''s advisory lock, pg_try_advisory_lock(1634298954, id).';
COMMENT ON COLUMN scheduled_jobs.name IS 'Unique job name (letters, digits, _ . -; up to 63 characters).';
COMMENT ON COLUMN scheduled_jobs.command IS 'The ail command line without the leading "ail", one word per element (e.g. {ingest,/var/spool/ail/events.ndjson}); checked by the ail argument parser when added.';
COMMENT ON COLUMN scheduled_jobs.schedule IS 'Cron expression as given: five fields (minute hour day-of-month month day-of-week) with lists, ranges, steps and names, or @hourly, @daily, @weekly, @monthly, @yearly.';
COMMENT ON COLUMN scheduled_jobs.time_zone IS 'IANA time zone the schedule is read in (e.g. Europe/Berlin); UTC by default.';
COMMENT ON COLUMN scheduled_jobs.enabled IS 'Whether the scheduler runs the job; a disabled job keeps its history and can still be run by hand.';
COMMENT ON COLUMN scheduled_jobs.max_retries IS 'Retries after a failed run (0 = none); attempt k+1 waits retry_delay_s * 2^(k-1) seconds after attempt k ended.';
COMMENT ON COLUMN scheduled_jobs.retry_delay_s IS 'Delay before the first retry in seconds; doubled for each further retry.';
COMMENT ON COLUMN scheduled_jobs.keep_runs IS 'History bound: at most this many finished runs are kept for the job (newest first).';
COMMENT ON COLUMN scheduled_jobs.keep_days IS 'History bound: finished runs that started more than this many days ago are deleted.';
COMMENT ON COLUMN scheduled_jobs.next_run_at IS 'Next scheduled time; when it is in the past the job is due (it runs once, however many times were missed).';
COMMENT ON COLUMN scheduled_jobs.retry_at IS 'When the pending retry of a failed run is due; NULL when none is pending.';
COMMENT ON COLUMN scheduled_jobs.retry_attempt IS 'Attempt number of the pending retry (2 = first retry); NULL exactly when retry_at is NULL.';
COMMENT ON COLUMN scheduled_jobs.created_at IS 'When the job was added.';
COMMENT ON COLUMN scheduled_jobs.updated_at IS 'When the definition or state last changed.';
CREATE INDEX IF NOT EXISTS scheduled_jobs_next_run_idx ON scheduled_jobs (next_run_at) WHERE enabled;
CREATE INDEX IF NOT EXISTS scheduled_jobs_retry_idx ON scheduled_jobs (retry_at) WHERE enabled AND retry_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS scheduled_job_runs (
    id               bigserial PRIMARY KEY,
    job_id           bigint NOT NULL REFERENCES scheduled_jobs (id) ON DELETE CASCADE,
    trigger          text NOT NULL CHECK (trigger IN ('schedule', 'catch_up', 'retry', 'manual')),
    attempt          integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 21),
    scheduled_for    timestamptz NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz,
    status           text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    exit_code        integer CHECK (exit_code BETWEEN 0 AND 255),
    error            text CHECK (length(error) <= 2000),
    output_tail      text NOT NULL DEFAULT '' CHECK (length(output_tail) <= 8192),
    rows_processed   bigint CHECK (rows_processed >= 0),
    runner           text NOT NULL CHECK (length(runner) BETWEEN 1 AND 300),
    pid              integer CHECK (pid > 0),
    lease_expires_at timestamptz,
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    CHECK ((status = 'running') = (ended_at IS NULL)),
    CHECK (status <> 'running' OR lease_expires_at IS NOT NULL),
    CHECK (status <> 'succeeded' OR exit_code = 0),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);
COMMENT ON TABLE scheduled_job_runs IS 'One attempt to run a job (scheduled, catch-up, retry or by hand); bounded per job by scheduled_jobs.keep_runs and keep_days.';
COMMENT ON COLUMN scheduled_job_runs.id IS 'Surrogate key.';
COMMENT ON COLUMN scheduled_job_runs.job_id IS 'The job (scheduled_jobs.id); its runs go when the job is removed.';
COMMENT ON COLUMN scheduled_job_runs.trigger IS 'schedule (on time), catch_up (the scheduler was down past at least one later slot; one run stands for all missed ones), retry (after a failure) or manual (ail jobs run).';
COMMENT ON COLUMN scheduled_job_runs.attempt IS '1 for the first attempt at a scheduled time, 2.. for its retries.';
COMMENT ON COLUMN scheduled_job_runs.scheduled_for IS 'The scheduled time (or retry time) the run serves; the start time for manual runs.';
COMMENT ON COLUMN scheduled_job_runs.started_at IS 'When the command was started.';
COMMENT ON COLUMN scheduled_job_runs.ended_at IS 'When it ended or was found abandoned; NULL exactly while running.';
COMMENT ON COLUMN scheduled_job_runs.status IS 'running, succeeded (exit 0), failed (non-zero exit or could not start) or abandoned (its scheduler died and the lease expired, or it was stopped at scheduler shutdown).';
COMMENT ON COLUMN scheduled_job_runs.exit_code IS 'Exit status of the command, 128 + signal number when killed; NULL while running, when abandoned or when it could not start.';
COMMENT ON COLUMN scheduled_job_runs.error IS 'Why the run failed or was abandoned (the command''s last error line, or the scheduler''s reason); NULL on success.';
COMMENT ON COLUMN scheduled_job_runs.output_tail IS 'The last lines (at most 40 lines, 8 KiB) of the command''s combined standard output and error.';
COMMENT ON COLUMN scheduled_job_runs.rows_processed IS 'Rows the command reported processing (e.g. ingest''s inserted count), when it reports one.';
COMMENT ON COLUMN scheduled_job_runs.runner IS 'Who ran it: host:pid of the scheduler, or of ail jobs run.';
COMMENT ON COLUMN scheduled_job_runs.pid IS 'Process id of the command (its own process group); NULL when it could not start.';
COMMENT ON COLUMN scheduled_job_runs.lease_expires_at IS 'While running, the runner renews this lease; a running run whose lease has expired is marked abandoned by the next scheduler.';
-- At most one running run per job, whatever the schedulers do.
CREATE UNIQUE INDEX IF NOT EXISTS scheduled_job_runs_one_running_key ON scheduled_job_runs (job_id) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS scheduled_job_runs_history_idx ON scheduled_job_runs (job_id, started_at DESC);
CREATE INDEX IF NOT EXISTS scheduled_job_runs_started_at_idx ON scheduled_job_runs (started_at DESC);
CREATE INDEX IF NOT EXISTS scheduled_job_runs_lease_idx ON scheduled_job_runs (lease_expires_at) WHERE status = 'running';
