import Foundation
import Store

/// A stored job: its definition, scheduling state and latest run.
public struct Job: Sendable {
    public var id: Int
    public var definition: JobDefinition
    public var timing: JobTiming
    /// The most recent run, when listed with one.
    public var lastRun: JobRun?
}

/// How a run ended (or that it has not).
public enum RunStatus: String, Sendable, Codable {
    case running, succeeded, failed, abandoned
}

/// One row of `scheduled_job_runs`.
public struct JobRun: Sendable, Encodable {
    public var id: Int
    public var jobName: String
    public var trigger: JobTiming.Trigger
    public var attempt: Int
    public var scheduledFor: Date
    public var startedAt: Date
    public var endedAt: Date?
    public var status: RunStatus
    public var exitCode: Int?
    public var error: String?
    public var outputTail: String
    public var rowsProcessed: Int?
    public var runner: String
    public var pid: Int?

    enum CodingKeys: String, CodingKey {
        case id, jobName = "job", trigger, attempt, scheduledFor = "scheduled_for", startedAt = "started_at"
        case endedAt = "ended_at", status, exitCode = "exit_code", error, outputTail = "output_tail"
        case rowsProcessed = "rows_processed", runner, pid
    }

    /// The select list for a run `r` of job `j`, each column named `prefix` + its name.
    static func columns(prefix: String = "") -> String {
        ["r.id", "j.name AS job_name", "r.trigger", "r.attempt", "r.scheduled_for", "r.started_at", "r.ended_at", "r.status",
         "r.exit_code", "r.error", "r.output_tail", "r.rows_processed", "r.runner", "r.pid"].map { column in
            let name = column.components(separatedBy: " AS ").last.map { $0.hasPrefix("r.") ? String($0.dropFirst(2)) : $0 } ?? column
            let source = column.components(separatedBy: " AS ")[0]
            return "\(source) AS \(prefix)\(name)"
        }.joined(separator: ", ")
    }

    init(row: Row, prefix: String = "") throws {
        func name(_ column: String) -> String { prefix + column }
        id = try row.required(name("id"))
        jobName = try row.required(name("job_name"))
        guard let trigger = JobTiming.Trigger(rawValue: try row.required(name("trigger"))),
              let status = RunStatus(rawValue: try row.required(name("status"))) else {
            throw StoreError(code: .decodingFailed, message: "scheduled_job_runs: unknown trigger or status")
        }
        self.trigger = trigger
        self.status = status
        attempt = try row.required(name("attempt"))
        scheduledFor = try row.required(name("scheduled_for"))
        startedAt = try row.required(name("started_at"))
        endedAt = try row.value(name("ended_at"))
        exitCode = try row.value(name("exit_code"))
        error = try row.value(name("error"))
        outputTail = try row.required(name("output_tail"))
        rowsProcessed = try row.value(name("rows_processed"))
        runner = try row.required(name("runner"))
        pid = try row.value(name("pid"))
    }
}

extension Job {
    static let columns = """
        j.id, j.name, j.command, j.schedule, j.time_zone, j.enabled, j.max_retries, j.retry_delay_s,
        j.keep_runs, j.keep_days, j.next_run_at, j.retry_at, j.retry_attempt
        """

    init(row: Row) throws {
        id = try row.required("id")
        definition = try JobDefinition(
            name: try row.required("name"), command: try row.required("command", as: [String].self),
            schedule: try CronSchedule(try row.required("schedule")), clock: try WallClock(identifier: try row.required("time_zone")),
            enabled: try row.required("enabled"),
            retry: try RetryPolicy(maxRetries: try row.required("max_retries"), initialDelay: try row.required("retry_delay_s")),
            history: try HistoryBound(maxRuns: try row.required("keep_runs"), maxDays: try row.required("keep_days")))
        timing = JobTiming(nextRunAt: try row.required("next_run_at"), retryAt: try row.value("retry_at"),
                           retryAttempt: try row.value("retry_attempt"))
        lastRun = nil
    }
}
