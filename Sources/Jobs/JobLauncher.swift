import Foundation
import Store

/// Starts a job's command: the `ail` executable with the stored words, in a process group of
/// its own, with `AIL_JOB_PARENT_PID` so it dies with this process (see ``ParentDeath``).
public struct JobLauncher: Sendable {
    /// Absolute path of the `ail` executable.
    public var executable: String
    /// Variables added to this process's environment for the command (e.g. `DATABASE_URL`, so a
    /// command without `--dsn` uses the scheduler's database).
    public var environment: [String: String]

    public init(executable: String, environment: [String: String] = [:]) {
        self.executable = executable
        self.environment = environment
    }

    /// Starts `ail COMMAND…` for a run.
    public func launch(_ command: [String], jobName: String, runID: Int) throws -> ChildProcess.Spawned {
        var environment = ProcessInfo.processInfo.environment.merging(self.environment) { $1 }
        environment[ParentDeath.variable] = String(getpid())
        environment["AIL_JOB_NAME"] = jobName
        environment["AIL_JOB_RUN_ID"] = String(runID)
        return try ChildProcess.Spawned([executable] + command, environment: environment, newProcessGroup: true)
    }
}
