import ArgumentParser
import Foundation
import Jobs
import Store

/// `ail scheduler`: runs due jobs until SIGTERM or SIGINT.
struct SchedulerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Run jobs when they are due, until stopped; safe to run on several machines at once.",
        discussion: """
            Each run takes the job's PostgreSQL advisory lock, so schedulers sharing a database never \
            run a job twice or at once; a second scheduler is a hot standby. Each command runs in its \
            own process group and dies with the scheduler. A run left `running` by a scheduler that \
            was killed is marked abandoned once its lease expires; the job runs again at its next \
            time. A scheduler that was down runs each missed job once. Failed runs are retried with \
            exponential backoff (per job: jobs add --retries, --retry-delay). SIGTERM or SIGINT lets \
            the running command finish (up to --grace seconds), then exits 0. One line per event on \
            standard output (NDJSON with --format json). Under systemd: deploy/ail-scheduler.service.

            Examples:
              ail scheduler
              ail scheduler --dsn postgresql://ail@db/ail --format json
              ail scheduler --once        # run what is due now, then exit (e.g. from cron)
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Seconds between looks for due jobs.") var poll: Double = 5
    @Option(help: "Seconds a run's lease lasts (renewed every third of it); a dead scheduler's run is abandoned after this.") var lease: Double = 60
    @Option(help: "Seconds a running command may take to finish after SIGTERM/SIGINT before its process group is stopped.") var grace: Double = 120
    @Flag(help: "Run what is due now, then exit.") var once = false

    func validate() throws {
        guard poll >= 0.1, poll <= 3600 else { throw ValidationError("--poll: out of range (expected 0.1...3600 seconds, got \(poll))") }
        guard lease >= 1, lease <= 86_400 else { throw ValidationError("--lease: out of range (expected 1...86400 seconds, got \(lease))") }
        guard grace >= 0, grace <= 86_400 else { throw ValidationError("--grace: out of range (expected 0...86400 seconds, got \(grace))") }
    }

    func run() throws {
        let connection = try database.connect()
        StopSignals.install()
        let json = output.format == .json
        let scheduler = Scheduler(store: JobStore(connection: connection), launcher: try Self.launcher(database),
                                  settings: RunSettings(lease: lease, grace: grace), stop: StopSignals.condition) { event in
            JobsOutput.log(event, json: json)
        }
        JobsOutput.log(message: "scheduler \(RunSettings.defaultRunner) started (poll \(poll) s, lease \(lease) s, grace \(grace) s)", json: json)
        if once { try scheduler.tick() } else { try scheduler.run(poll: poll) }
        let signal = StopSignals.signal
        JobsOutput.log(message: signal == 0 ? "scheduler stopped" : "scheduler stopped (signal \(signal))", json: json)
    }

    /// The `ail` executable running now, with the database it uses passed on to job commands
    /// that do not name one.
    static func launcher(_ database: DatabaseOptions) throws -> JobLauncher {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw InputError("cannot find the running ail executable (/proc/self/exe) to start job commands")
        }
        var environment: [String: String] = [:]
        if case .server(let dsn, _) = database.target { environment["DATABASE_URL"] = dsn }
        return JobLauncher(executable: executable, environment: environment)
    }
}

/// Called first by the `ail` executable: a command started by the scheduler dies with it.
public enum JobChild {
    /// Arms the parent-death signal when started as a job's command (see `Jobs.ParentDeath`).
    public static func armParentDeathSignal() { ParentDeath.armFromEnvironment() }
}
