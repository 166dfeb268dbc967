import Foundation
import Store

/// Runs one job's command and records it: the run row, the lease renewed while it runs, the
/// outcome, the job's next timing and the history bound. The caller holds the job's lock.
public final class JobRunner {
    public let store: JobStore
    public let launcher: JobLauncher
    public let clock: any JobClock
    public let settings: RunSettings
    public let stop: StopCondition

    public init(store: JobStore, launcher: JobLauncher, clock: any JobClock, settings: RunSettings, stop: StopCondition = .never) {
        self.store = store
        self.launcher = launcher
        self.clock = clock
        self.settings = settings
        self.stop = stop
    }

    /// Runs `run` of `job` now. `timing` is the job's state once the run has started (nil for
    /// a manual run, which changes no timing); returns the finished run as stored.
    public func execute(_ job: Job, run: JobTiming.DueRun, timing: JobTiming?, onStart: (Int) -> Void = { _ in }) throws -> JobRun {
        let started = clock.now()
        let runID = try store.startRun(jobID: job.id, run: run, timing: timing, at: started,
                                       leaseUntil: started.addingTimeInterval(settings.lease), runner: settings.runner)
        onStart(runID)
        let child: ChildProcess.Spawned
        do {
            child = try launcher.launch(job.definition.command, jobName: job.definition.name, runID: runID)
        } catch {
            try finish(job, runID: runID, run: run, timing: timing, status: .failed, report: nil, error: "could not start: \(error)")
            return try store.run(id: runID)
        }
        try store.setPID(runID: runID, pid: child.pid)
        let (exitCode, stoppedAtShutdown) = try wait(for: child, runID: runID)
        let report = RunReport(exitCode: exitCode, output: child.output())
        if stoppedAtShutdown {
            try finish(job, runID: runID, run: run, timing: timing, status: .abandoned, report: report,
                       error: "stopped at scheduler shutdown: still running after the \(Int(settings.grace)) s grace period")
        } else {
            try finish(job, runID: runID, run: run, timing: timing, status: exitCode == 0 ? .succeeded : .failed,
                       report: report, error: report.error)
        }
        return try store.run(id: runID)
    }

    /// Waits for the command, renewing the lease; after a stop request, allows the grace period,
    /// then SIGTERM to its process group, then SIGKILL 10 s later. Returns the exit code and
    /// whether the command had to be stopped.
    private func wait(for child: ChildProcess.Spawned, runID: Int) throws -> (Int32, Bool) {
        var lastRenewal = Date()
        var stopDeadline: Date?
        var terminatedAt: Date?
        while true {
            if let code = try child.poll() { return (code, terminatedAt != nil) }
            let now = Date()
            if now.timeIntervalSince(lastRenewal) >= settings.lease / 3 {
                try store.renewLease(runID: runID, until: clock.now().addingTimeInterval(settings.lease))
                lastRenewal = now
            }
            if stop.isRequested {
                if stopDeadline == nil { stopDeadline = now.addingTimeInterval(settings.grace) }
                if let terminated = terminatedAt {
                    if now.timeIntervalSince(terminated) >= 10 { child.signalGroup(SIGKILL) }
                } else if let deadline = stopDeadline, now >= deadline {
                    child.signalGroup(SIGTERM)
                    terminatedAt = now
                }
            }
            usleep(50_000)
        }
    }

    private func finish(_ job: Job, runID: Int, run: JobTiming.DueRun, timing: JobTiming?, status: RunStatus,
                        report: RunReport?, error: String?) throws {
        let end = clock.now()
        let next = timing.map {
            $0.finishing(attempt: run.attempt, trigger: run.trigger, succeeded: status == .succeeded || status == .abandoned,
                         at: end, policy: job.definition.retry)
        }
        try store.finishRun(runID: runID, jobID: job.id, status: status, report: report, error: error, at: end,
                            timing: next, history: job.definition.history)
    }
}
