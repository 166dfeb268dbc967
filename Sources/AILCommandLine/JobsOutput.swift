import Foundation
import Jobs
import Store

/// Text and JSON renderings of jobs, runs and scheduler events.
enum JobsOutput {
    /// One job in `jobs list --format json` (times in UTC, plus the next run in the job's zone).
    struct JobSummary: Encodable {
        var name: String
        var command: [String]
        var schedule: String
        var timeZone: String
        var enabled: Bool
        var nextRunAt: Date
        var nextRunLocal: String
        var retryAt: Date?
        var retries: Int
        var retryDelaySeconds: Int
        var keepRuns: Int
        var keepDays: Int
        var lastRun: JobRun?

        init(_ job: Job) {
            let d = job.definition
            name = d.name; command = d.command; schedule = d.schedule.expression; timeZone = d.clock.identifier
            enabled = d.enabled; nextRunAt = job.timing.nextRunAt; nextRunLocal = d.clock.format(job.timing.nextRunAt)
            retryAt = job.timing.retryAt; retries = d.retry.maxRetries; retryDelaySeconds = d.retry.initialDelay
            keepRuns = d.history.maxRuns; keepDays = d.history.maxDays; lastRun = job.lastRun
        }

        enum CodingKeys: String, CodingKey {
            case name, command, schedule, timeZone = "time_zone", enabled, nextRunAt = "next_run_at", nextRunLocal = "next_run_local"
            case retryAt = "retry_at", retries, retryDelaySeconds = "retry_delay_s", keepRuns = "keep_runs", keepDays = "keep_days"
            case lastRun = "last_run"
        }
    }

    struct AddReport: Encodable {
        var outcome: String
        var job: JobSummary
    }

    struct RemoveReport: Encodable {
        var removed: String
        var runsDeleted: Int
        enum CodingKeys: String, CodingKey { case removed, runsDeleted = "runs_deleted" }
    }

    /// `"0 3 * * *" Europe/Berlin, next 2026-12-01 03:00 CET: ail ingest spool.ndjson`.
    static func describe(_ job: Job) -> String {
        let d = job.definition
        let next = d.enabled ? "next \(d.clock.format(job.timing.nextRunAt)) (\(d.clock.identifier))" : "disabled"
        return "\"\(d.schedule.expression)\" \(d.clock.identifier), \(next): ail \(d.command.joined(separator: " "))"
    }

    /// `jobs list` as text.
    static func listing(_ jobs: [Job], now: Date) -> String {
        guard !jobs.isEmpty else { return "no jobs (add one: ail jobs add NAME --schedule \"0 3 * * *\" -- COMMAND…)" }
        let rows = jobs.map { job -> [String] in
            let d = job.definition
            var next = d.enabled ? d.clock.format(job.timing.nextRunAt) : "-"
            if d.enabled, job.timing.nextRunAt <= now { next += " (due)" }
            if d.enabled, let retry = job.timing.retryAt { next += ", retry \(d.clock.format(retry))" }
            let last = job.lastRun.map { "\($0.status.rawValue) \(d.clock.format($0.startedAt))" } ?? "-"
            return [d.name, d.schedule.expression, d.clock.identifier, d.enabled ? "yes" : "no", next, last,
                    d.command.joined(separator: " ")]
        }
        return columns(["NAME", "SCHEDULE", "ZONE", "ENABLED", "NEXT RUN", "LAST RUN", "COMMAND"], rows)
    }

    /// `jobs history` as text (times in UTC).
    static func history(_ runs: [JobRun]) -> String {
        guard !runs.isEmpty else { return "no runs" }
        let rows = runs.map { run -> [String] in
            [String(run.id), run.jobName, run.trigger.rawValue, String(run.attempt), PostgresText.timestamp(run.startedAt).prefix(19) + "Z",
             run.endedAt.map { String(format: "%.1f s", $0.timeIntervalSince(run.startedAt)) } ?? "-", run.status.rawValue,
             run.exitCode.map(String.init) ?? "-", run.rowsProcessed.map(String.init) ?? "-", run.error ?? ""]
        }
        return columns(["RUN", "JOB", "TRIGGER", "ATTEMPT", "STARTED (UTC)", "TOOK", "STATUS", "EXIT", "ROWS", "ERROR"], rows)
    }

    /// One run as a line: `job x run 12 (manual): succeeded in 0.4 s, exit 0, 250 rows`.
    static func describe(_ run: JobRun) -> String {
        var text = "job \(run.jobName) run \(run.id) (\(run.trigger.rawValue), attempt \(run.attempt)): \(run.status.rawValue)"
        if let end = run.endedAt { text += String(format: " in %.1f s", end.timeIntervalSince(run.startedAt)) }
        if let code = run.exitCode { text += ", exit \(code)" }
        if let rows = run.rowsProcessed { text += ", \(rows) rows" }
        if let error = run.error { text += "\n  \(error)" }
        return text
    }

    /// Left-aligned columns under a header, two spaces apart (never cut).
    static func columns(_ headers: [String], _ rows: [[String]]) -> String {
        var table = TextTable(headers, numeric: [])
        rows.forEach { table.append($0) }
        return table.text
    }

    /// A scheduler event: a line of text, or a compact JSON object (NDJSON) with `--format json`.
    static func log(_ event: Scheduler.Event, json: Bool) {
        switch event {
        case .started(let job, let trigger, let attempt, let runID):
            emit(["event": "started", "job": job, "trigger": trigger.rawValue, "attempt": attempt, "run": runID,
                  "at": PostgresText.timestamp(Date())],
                 text: "\(PostgresText.timestamp(Date())) started job \(job) run \(runID) (\(trigger.rawValue), attempt \(attempt))", json: json)
        case .finished(let run):
            var fields: [String: Any] = ["event": "finished", "job": run.jobName, "run": run.id, "status": run.status.rawValue,
                                         "at": PostgresText.timestamp(Date())]
            if let code = run.exitCode { fields["exit_code"] = code }
            if let rows = run.rowsProcessed { fields["rows_processed"] = rows }
            if let error = run.error { fields["error"] = error }
            emit(fields, text: "\(PostgresText.timestamp(Date())) \(describe(run))", json: json)
        case .abandoned(let job, let runs):
            emit(["event": "abandoned", "job": job, "runs": runs, "at": PostgresText.timestamp(Date())],
                 text: "\(PostgresText.timestamp(Date())) marked \(runs) run(s) of job \(job) abandoned (lease expired)", json: json)
        }
    }

    /// A scheduler message (start, stop).
    static func log(message: String, json: Bool) {
        emit(["event": "message", "message": message, "at": PostgresText.timestamp(Date())],
             text: "\(PostgresText.timestamp(Date())) \(message)", json: json)
    }

    private static func emit(_ fields: [String: Any], text: String, json: Bool) {
        var line = text
        if json, let object = try? JSONOutput.text(fields, pretty: false) { line = object }
        // Unbuffered, so a log collector (journald) sees each event when it happens.
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
