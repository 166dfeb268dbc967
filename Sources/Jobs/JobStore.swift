import Foundation
import Store

/// The jobs tables (`migrations/018_scheduled_jobs.sql`) over one connection: definitions,
/// scheduling state, runs, leases, history bounds and the per-job advisory lock.
///
/// Every time comes from the caller (its ``JobClock``), never from the server's `now()`, so a
/// test clock drives schedules, leases and history bounds alike.
public final class JobStore {
    public let connection: Connection
    /// First key of every job's advisory lock, `pg_try_advisory_lock(lockClass, job id)`: "ailJ".
    public static let lockClass: Int32 = 0x6169_6C4A

    public init(connection: Connection) { self.connection = connection }

    /// What ``add(_:replace:now:)`` did.
    public enum AddOutcome: String, Sendable, Encodable { case added, unchanged, replaced }

    /// Adds a job. An identical job of that name (enabled or not) is left alone (`unchanged`), so
    /// scripts can re-run; a different one is replaced only when `replace` is set.
    /// - Throws: ``JobsError/Code/alreadyExists`` for a different job of that name without `replace`.
    @discardableResult
    public func add(_ definition: JobDefinition, replace: Bool, now: Date) throws -> AddOutcome {
        try connection.transaction {
            let existing = try connection.execute("SELECT \(Job.columns) FROM scheduled_jobs j WHERE j.name = $1 FOR UPDATE", [.text(definition.name)])
            if let row = existing.first {
                let job = try Job(row: row)
                if job.definition.hasSameSpecification(as: definition) { return .unchanged }
                guard replace else {
                    throw JobsError(.alreadyExists, "name: a different job named \(definition.name) exists (schedule \"\(job.definition.schedule.expression)\" \(job.definition.clock.identifier), command \(job.definition.command.joined(separator: " "))); use --replace to overwrite it")
                }
            }
            let next = definition.schedule.nextRun(after: now, in: definition.clock) ?? now
            try connection.execute("""
                INSERT INTO scheduled_jobs (name, command, schedule, time_zone, enabled, max_retries, retry_delay_s,
                                            keep_runs, keep_days, next_run_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (name) DO UPDATE SET command = EXCLUDED.command, schedule = EXCLUDED.schedule,
                    time_zone = EXCLUDED.time_zone, enabled = EXCLUDED.enabled, max_retries = EXCLUDED.max_retries,
                    retry_delay_s = EXCLUDED.retry_delay_s, keep_runs = EXCLUDED.keep_runs, keep_days = EXCLUDED.keep_days,
                    next_run_at = EXCLUDED.next_run_at, retry_at = NULL, retry_attempt = NULL, updated_at = $11
                """, [.text(definition.name), .textArray(definition.command), .text(definition.schedule.expression),
                      .text(definition.clock.identifier), .bool(definition.enabled), .int(definition.retry.maxRetries),
                      .int(definition.retry.initialDelay), .int(definition.history.maxRuns), .int(definition.history.maxDays),
                      .timestamp(next), .timestamp(now)])
            return existing.isEmpty ? .added : .replaced
        }
    }

    /// Every job in name order, each with its latest run.
    public func jobs() throws -> [Job] {
        let result = try connection.execute("""
            SELECT \(Job.columns), lr.*
              FROM scheduled_jobs j
              LEFT JOIN LATERAL (SELECT \(JobRun.columns(prefix: "last_"))
                                   FROM scheduled_job_runs r WHERE r.job_id = j.id
                                  ORDER BY r.started_at DESC, r.id DESC LIMIT 1) lr ON true
             ORDER BY j.name
            """)
        return try result.map { row in
            var job = try Job(row: row)
            if try row.value("last_id", as: Int.self) != nil { job.lastRun = try JobRun(row: row, prefix: "last_") }
            return job
        }
    }

    /// The job named `name`.
    /// - Throws: ``JobsError/Code/notFound``.
    public func job(named name: String) throws -> Job {
        guard let row = try connection.execute("SELECT \(Job.columns) FROM scheduled_jobs j WHERE j.name = $1", [.text(name)]).first else {
            let names = try connection.execute("SELECT name FROM scheduled_jobs ORDER BY name").compactMap { $0.text(0) }
            throw JobsError(.notFound, "no job named \(name) (jobs: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        return try Job(row: row)
    }

    /// The job with id `id`, or nil when it was removed.
    public func job(id: Int) throws -> Job? {
        try connection.execute("SELECT \(Job.columns) FROM scheduled_jobs j WHERE j.id = $1", [.int(id)]).first.map(Job.init(row:))
    }

    /// Enables or disables a job. Enabling sets the next run to the first scheduled time after
    /// `now`, so time spent disabled is not caught up.
    public func setEnabled(_ name: String, _ enabled: Bool, now: Date) throws -> Job {
        var job = try self.job(named: name)
        if enabled && !job.definition.enabled {
            job.timing = JobTiming(nextRunAt: job.definition.schedule.nextRun(after: now, in: job.definition.clock) ?? now)
        }
        job.definition.enabled = enabled
        try connection.execute("""
            UPDATE scheduled_jobs SET enabled = $2, next_run_at = $3, retry_at = $4, retry_attempt = $5, updated_at = $6 WHERE id = $1
            """, [.int(job.id), .bool(enabled), .timestamp(job.timing.nextRunAt), SQLValue(job.timing.retryAt),
                  SQLValue(job.timing.retryAttempt), .timestamp(now)])
        return job
    }

    /// Removes a job and its history; returns the number of runs deleted with it.
    public func remove(_ name: String) throws -> Int {
        let job = try self.job(named: name)
        let runs = try connection.execute("SELECT count(*) FROM scheduled_job_runs WHERE job_id = $1", [.int(job.id)]).first?.value(0, as: Int.self) ?? 0
        try connection.execute("DELETE FROM scheduled_jobs WHERE id = $1", [.int(job.id)])
        return runs
    }

    /// The newest `limit` runs, of one job or of all.
    public func history(name: String?, limit: Int) throws -> [JobRun] {
        if let name { _ = try job(named: name) }
        return try connection.execute("""
            SELECT \(JobRun.columns()) FROM scheduled_job_runs r JOIN scheduled_jobs j ON j.id = r.job_id
             WHERE $1::text IS NULL OR j.name = $1 ORDER BY r.started_at DESC, r.id DESC LIMIT $2
            """, [SQLValue(name), .int(limit)]).map { try JobRun(row: $0) }
    }

    /// Enabled jobs with a scheduled time or a retry due at `now`, most overdue first.
    public func dueJobs(at now: Date) throws -> [Job] {
        try connection.execute("""
            SELECT \(Job.columns) FROM scheduled_jobs j
             WHERE j.enabled AND (j.next_run_at <= $1 OR j.retry_at <= $1)
             ORDER BY least(j.next_run_at, j.retry_at), j.id
            """, [.timestamp(now)]).map(Job.init(row:))
    }

    /// Jobs with a run still marked running whose lease expired before `now`.
    public func jobsWithExpiredLeases(at now: Date) throws -> [Int] {
        try connection.execute("SELECT DISTINCT job_id FROM scheduled_job_runs WHERE status = 'running' AND lease_expires_at < $1",
                               [.timestamp(now)]).map { try $0.required("job_id") }
    }

    /// Marks the job's running runs whose lease expired as abandoned; call with the job's lock held.
    @discardableResult
    public func abandonExpiredRuns(jobID: Int, at now: Date) throws -> Int {
        try connection.execute("""
            UPDATE scheduled_job_runs SET status = 'abandoned', ended_at = greatest($2, started_at), lease_expires_at = NULL,
                   error = 'abandoned: its runner stopped renewing the lease (killed or cut off) before the run ended'
             WHERE job_id = $1 AND status = 'running' AND lease_expires_at < $2
            """, [.int(jobID), .timestamp(now)]).affectedRows
    }

    /// Records the start of a run and the job's new timing in one transaction; returns the run id.
    public func startRun(jobID: Int, run: JobTiming.DueRun, timing: JobTiming?, at now: Date, leaseUntil: Date, runner: String) throws -> Int {
        try connection.transaction {
            if let timing {
                try connection.execute("UPDATE scheduled_jobs SET next_run_at = $2, retry_at = $3, retry_attempt = $4, updated_at = $5 WHERE id = $1",
                                       [.int(jobID), .timestamp(timing.nextRunAt), SQLValue(timing.retryAt), SQLValue(timing.retryAttempt), .timestamp(now)])
            }
            let row = try connection.execute("""
                INSERT INTO scheduled_job_runs (job_id, trigger, attempt, scheduled_for, started_at, status, runner, lease_expires_at)
                VALUES ($1, $2, $3, $4, $5, 'running', $6, $7) RETURNING id
                """, [.int(jobID), .text(run.trigger.rawValue), .int(run.attempt), .timestamp(run.scheduledFor), .timestamp(now),
                      .text(runner), .timestamp(leaseUntil)]).first
            guard let id = try row?.value(0, as: Int.self) else { throw StoreError(code: .decodingFailed, message: "INSERT … RETURNING id gave no row") }
            return id
        }
    }

    /// Records the child's process id.
    public func setPID(runID: Int, pid: Int32) throws {
        try connection.execute("UPDATE scheduled_job_runs SET pid = $2 WHERE id = $1", [.int(runID), .int(Int(pid))])
    }

    /// Extends a running run's lease; false when the run is no longer running (another
    /// scheduler marked it abandoned).
    @discardableResult
    public func renewLease(runID: Int, until: Date) throws -> Bool {
        try connection.execute("UPDATE scheduled_job_runs SET lease_expires_at = $2 WHERE id = $1 AND status = 'running'",
                               [.int(runID), .timestamp(until)]).affectedRows == 1
    }

    /// Records how a run ended, the job's pending retry (from `timing`), and prunes its history to the bound.
    public func finishRun(runID: Int, jobID: Int, status: RunStatus, report: RunReport?, error: String?, at end: Date,
                          timing: JobTiming?, history: HistoryBound) throws {
        try connection.transaction {
            try connection.execute("""
                UPDATE scheduled_job_runs SET status = $2, ended_at = greatest($3, started_at), exit_code = $4, error = $5,
                       output_tail = $6, rows_processed = $7, lease_expires_at = NULL
                 WHERE id = $1
                """, [.int(runID), .text(status.rawValue), .timestamp(end), SQLValue(report.map { Int($0.exitCode) }),
                      SQLValue(error.map { String($0.prefix(2000)) }), .text(report?.outputTail ?? ""), SQLValue(report?.rowsProcessed)])
            if let timing {
                // Only the retry: the next scheduled time was set at the start, and an edit made
                // while the command ran (--replace, disable) must not be overwritten.
                try connection.execute("UPDATE scheduled_jobs SET retry_at = $2, retry_attempt = $3, updated_at = $4 WHERE id = $1",
                                       [.int(jobID), SQLValue(timing.retryAt), SQLValue(timing.retryAttempt), .timestamp(end)])
            }
            try prune(jobID: jobID, bound: history, now: end)
        }
    }

    /// Deletes finished runs of a job beyond the newest `bound.maxRuns` or older than
    /// `bound.maxDays`; returns how many went.
    @discardableResult
    public func prune(jobID: Int, bound: HistoryBound, now: Date) throws -> Int {
        try connection.execute("""
            DELETE FROM scheduled_job_runs WHERE job_id = $1 AND status <> 'running'
               AND (started_at < $2 OR id IN (SELECT id FROM scheduled_job_runs WHERE job_id = $1 AND status <> 'running'
                                              ORDER BY started_at DESC, id DESC OFFSET $3))
            """, [.int(jobID), .timestamp(now.addingTimeInterval(-Double(bound.maxDays) * 86_400)), .int(bound.maxRuns)]).affectedRows
    }

    /// Takes the job's session advisory lock without waiting; false when another session holds it.
    public func tryLock(jobID: Int) throws -> Bool {
        try connection.execute("SELECT pg_try_advisory_lock($1::int, $2::int)", [.int(Int(Self.lockClass)), .int(jobID)]).first?.value(0, as: Bool.self) == true
    }

    /// Releases the lock taken by ``tryLock(jobID:)``.
    public func unlock(jobID: Int) throws {
        try connection.execute("SELECT pg_advisory_unlock($1::int, $2::int)", [.int(Int(Self.lockClass)), .int(jobID)])
    }
}

extension JobStore {
    /// The run with id `id`.
    public func run(id: Int) throws -> JobRun {
        guard let row = try connection.execute("""
            SELECT \(JobRun.columns()) FROM scheduled_job_runs r JOIN scheduled_jobs j ON j.id = r.job_id WHERE r.id = $1
            """, [.int(id)]).first else {
            throw JobsError(.notFound, "no run with id \(id) (removed with its job, or pruned)")
        }
        return try JobRun(row: row)
    }

    /// Whether the job has a run marked running.
    public func hasRunningRun(jobID: Int) throws -> Bool {
        try connection.execute("SELECT EXISTS (SELECT 1 FROM scheduled_job_runs WHERE job_id = $1 AND status = 'running')",
                               [.int(jobID)]).first?.value(0, as: Bool.self) == true
    }
}
