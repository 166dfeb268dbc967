import ArgumentParser
import Foundation
import Jobs
import Store

/// `ail jobs add|list|run|history|enable|disable|remove`: scheduled `ail` commands.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Define ail commands that run on a cron schedule, run them now, and read their history.",
        discussion: """
            A job is a name, an ail command line, a five-field cron schedule (minute hour \
            day-of-month month day-of-week; lists, ranges, steps, month and weekday names, @hourly, \
            @daily, @weekly, @monthly, @yearly) and an IANA time zone (UTC unless --timezone). \
            `ail scheduler` runs jobs when due; `ail jobs run` runs one now. Jobs and their runs \
            live in the database (tables scheduled_jobs and scheduled_job_runs).

            Examples:
              ail jobs add nightly-ingest --schedule "0 3 * * *" --timezone Europe/Berlin -- ingest /var/spool/ail/events.ndjson
              ail jobs list
              ail jobs run nightly-ingest
              ail jobs history nightly-ingest --limit 5
              ail jobs disable nightly-ingest
            """,
        subcommands: [Add.self, List.self, Run.self, History.self, Enable.self, Disable.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a job (an ail command after --) with a cron schedule in a time zone.",
            discussion: """
                The command is checked by ail's own argument parser now, so a misspelt subcommand or \
                option is refused here rather than failing at 3 a.m. A job that runs jobs or the \
                scheduler is refused. Adding the same job again changes nothing; a different job of \
                that name needs --replace. Daylight-saving changes: a local time that does not exist \
                runs at the next valid time, a repeated hour runs once.

                Examples:
                  ail jobs add nightly-ingest --schedule "0 3 * * *" --timezone Europe/Berlin -- ingest spool/events.ndjson
                  ail jobs add weekday-status --schedule "30 8 * * mon-fri" -- db status --format json
                  ail jobs add hourly-sim --schedule @hourly --retries 0 -- simulate --developers 2 --days 1 --out /tmp/sim.ndjson
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name: 1-63 letters, digits, _ . - (e.g. nightly-ingest).") var name: String
        @Option(help: ArgumentHelp("Cron expression, e.g. \"0 3 * * *\" (03:00 daily) or @hourly.", valueName: "cron")) var schedule: String
        @Option(help: ArgumentHelp("IANA time zone the schedule is read in.", valueName: "zone")) var timezone: String = "UTC"
        @Option(help: "Retries after a failed run (0-20).") var retries: Int = 3
        @Option(name: .customLong("retry-delay"), help: "Seconds before the first retry; doubled for each further one.") var retryDelay: Int = 60
        @Option(name: .customLong("keep-runs"), help: "History bound: finished runs kept per job.") var keepRuns: Int = 1000
        @Option(name: .customLong("keep-days"), help: "History bound: days of finished runs kept per job.") var keepDays: Int = 90
        @Flag(help: "Overwrite a different job of the same name.") var replace = false
        @Flag(help: "Add the job disabled.") var disabled = false
        @Argument(parsing: .postTerminator, help: "The ail command after --, without the leading ail.") var command: [String] = []

        func run() throws {
            let definition = try jobsCall {
                try JobDefinition(name: name, command: try JobCommandLine.validate(command), schedule: try CronSchedule(schedule),
                                  clock: try WallClock(identifier: timezone), enabled: !disabled,
                                  retry: try RetryPolicy(maxRetries: retries, initialDelay: retryDelay),
                                  history: try HistoryBound(maxRuns: keepRuns, maxDays: keepDays))
            }
            let store = JobStore(connection: try database.connect())
            let outcome = try jobsCall { try store.add(definition, replace: replace, now: Date()) }
            let job = try jobsCall { try store.job(named: name) }
            if output.format == .json {
                try JSONOutput.print(JobsOutput.AddReport(outcome: outcome.rawValue, job: JobsOutput.JobSummary(job)))
            } else {
                print("job \(name) \(outcome.rawValue): \(JobsOutput.describe(job))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List jobs with their schedule, time zone, next run time and last run.",
            discussion: "Example:\n  ail jobs list --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            let jobs = try jobsCall { try JobStore(connection: try database.connect()).jobs() }
            if output.format == .json {
                try JSONOutput.print(["jobs": jobs.map(JobsOutput.JobSummary.init)])
            } else {
                print(JobsOutput.listing(jobs, now: Date()))
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a job now, recorded in its history like a scheduled run (its schedule is unchanged).",
            discussion: """
                Takes the job's lock like the scheduler, so it never runs beside a scheduled run of \
                the same job (exit 75 if one is running). Exits with the command's status when it fails, \
                so cron mails the failure. From cron: see README "Jobs and the scheduler".

                Example:
                  ail jobs run nightly-ingest
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name.") var name: String
        @Option(help: "Seconds a command may take to finish after SIGTERM/SIGINT before it is stopped.") var grace: Double = 120

        func run() throws {
            let connection = try database.connect()
            StopSignals.install()
            let scheduler = Scheduler(store: JobStore(connection: connection), launcher: try SchedulerCommand.launcher(database),
                                      settings: RunSettings(grace: grace), stop: StopSignals.condition)
            let run: JobRun
            do {
                run = try scheduler.runNow(name)
            } catch let error as JobsError where error.code == .busy {
                FailureReport.emit(kind: "busy", message: error.message, exitCode: 75)
                throw ExitCode(75)                                          // EX_TEMPFAIL
            } catch let error as JobsError {
                throw InputError(error.message)
            }
            if output.format == .json { try JSONOutput.print(run) } else { print(JobsOutput.describe(run)) }
            if run.status != .succeeded { throw ExitCode(Int32((1...125).contains(run.exitCode ?? 0) ? run.exitCode ?? 1 : 1)) }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show recent runs, newest first: trigger, attempt, start, duration, status, exit code, rows, error.",
            discussion: """
                Examples:
                  ail jobs history
                  ail jobs history nightly-ingest --limit 5 --format json
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name (all jobs when omitted).") var name: String?
        @Option(help: "Most runs to show.") var limit: Int = 20

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit: out of range (expected at least 1, got \(limit))") }
        }

        func run() throws {
            let runs = try jobsCall { try JobStore(connection: try database.connect()).history(name: name, limit: limit) }
            if output.format == .json { try JSONOutput.print(["runs": runs]) } else { print(JobsOutput.history(runs)) }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a job; its next run is the first scheduled time from now (time spent disabled is not caught up).",
            discussion: "Example:\n  ail jobs enable nightly-ingest")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name.") var name: String

        func run() throws { try setEnabled(true, name: name, database: database, output: output) }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a job: the scheduler skips it; history is kept and ail jobs run still works.",
            discussion: "Example:\n  ail jobs disable nightly-ingest")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name.") var name: String

        func run() throws { try setEnabled(false, name: name, database: database, output: output) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a job and its run history.",
            discussion: "Example:\n  ail jobs remove nightly-ingest")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Job name.") var name: String

        func run() throws {
            let runs = try jobsCall { try JobStore(connection: try database.connect()).remove(name) }
            if output.format == .json {
                try JSONOutput.print(JobsOutput.RemoveReport(removed: name, runsDeleted: runs))
            } else {
                print("job \(name) removed (\(runs) runs deleted with it)")
            }
        }
    }
}

private func setEnabled(_ enabled: Bool, name: String, database: DatabaseOptions, output: FormatOption) throws {
    let job = try jobsCall { try JobStore(connection: try database.connect()).setEnabled(name, enabled, now: Date()) }
    if output.format == .json {
        try JSONOutput.print(JobsOutput.JobSummary(job))
    } else {
        print("job \(name) \(enabled ? "enabled" : "disabled"): \(JobsOutput.describe(job))")
    }
}

/// Runs a jobs call, turning a refused definition or unknown name into an input error (exit 65).
func jobsCall<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as JobsError { throw InputError(error.message) }
}

/// Checks a job's command line with ail's own parser, so it is refused at `add`, not at run time.
enum JobCommandLine {
    /// Top-level commands a job may not run: a job that manages jobs or runs a scheduler.
    static let refused: Set<String> = ["jobs", "scheduler"]

    /// The words to store: a leading `ail` (or a path ending in `/ail`) dropped, then parsed as
    /// `ail` would parse them.
    /// - Throws: ``JobsError`` naming the command and the parser's reason.
    static func validate(_ words: [String]) throws -> [String] {
        var words = words
        if let first = words.first, first == "ail" || first.hasSuffix("/ail") { words.removeFirst() }
        guard let first = words.first else {
            throw JobsError(.invalidDefinition, "command: missing (give the ail command after --, e.g. -- ingest events.ndjson)")
        }
        guard !refused.contains(first) else {
            throw JobsError(.invalidDefinition, "command: a job cannot run `ail \(first)` (jobs run ail commands; the scheduler runs jobs)")
        }
        let shown = "`ail \(words.joined(separator: " "))`"
        let parsed: ParsableCommand
        do {
            parsed = try AIL.parseAsRoot(AIL.booleanFlagValues(AIL.joiningTripleDashValues(words)))
        } catch {
            if AIL.exitCode(for: error) == .success {
                throw JobsError(.invalidDefinition, "command: \(shown) only asks for help; give a command that does something")
            }
            throw JobsError(.invalidDefinition, "command: \(shown) is not a valid ail command: \(AIL.message(for: error))")
        }
        guard type(of: parsed).configuration.subcommands.isEmpty else {
            let names = type(of: parsed).configuration.subcommands.map { $0._commandName }
            throw JobsError(.invalidDefinition, "command: \(shown) is a command group; add one of its subcommands (\(names.joined(separator: ", ")))")
        }
        return words
    }
}
