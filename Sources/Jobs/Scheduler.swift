import Foundation
import Store

/// Runs due jobs, one at a time, until stopped.
///
/// Each pass (``tick()``) first marks runs whose lease expired as abandoned, then, for each due
/// job, takes the job's advisory lock without waiting, reads the job again and runs it only if
/// it is still due: a scheduler that read the job as due before another started (and moved on)
/// finds it no longer due. Two schedulers on one database therefore never run a job twice or at
/// once; the second is a hot standby that takes over jobs as soon as the first stops. The lock
/// is held while the command runs and goes with the session if the scheduler dies.
public final class Scheduler {
    /// Something that happened, for the log.
    public enum Event: Sendable {
        /// A run started (job name, trigger, attempt, run id).
        case started(job: String, trigger: JobTiming.Trigger, attempt: Int, runID: Int)
        case finished(JobRun)
        /// Runs of a job found abandoned (their runner's lease expired).
        case abandoned(job: String, runs: Int)
    }

    public let store: JobStore
    public let runner: JobRunner
    public let clock: any JobClock
    public let stop: StopCondition
    private let onEvent: (Event) -> Void

    public init(store: JobStore, launcher: JobLauncher, clock: any JobClock = SystemClock(), settings: RunSettings = RunSettings(),
                stop: StopCondition = .never, onEvent: @escaping (Event) -> Void = { _ in }) {
        self.store = store
        self.clock = clock
        self.stop = stop
        self.onEvent = onEvent
        runner = JobRunner(store: store, launcher: launcher, clock: clock, settings: settings, stop: stop)
    }

    /// One pass: reclaims expired leases, then runs every job due now (in order of how overdue
    /// it is). Returns the runs this pass performed.
    @discardableResult
    public func tick() throws -> [JobRun] {
        for jobID in try store.jobsWithExpiredLeases(at: clock.now()) {
            try withLock(jobID) { try reclaim(jobID) }
        }
        var runs: [JobRun] = []
        for candidate in try store.dueJobs(at: clock.now()) {
            if stop.isRequested { break }
            if let run = try withLock(candidate.id, { try runIfStillDue(candidate.id) }) ?? nil { runs.append(run) }
        }
        return runs
    }

    /// Ticks every `poll` seconds until a stop is requested (a running command is given its
    /// grace period first).
    public func run(poll: TimeInterval) throws {
        while !stop.isRequested {
            try tick()
            let wakeUp = Date().addingTimeInterval(poll)
            while !stop.isRequested, Date() < wakeUp { usleep(100_000) }
        }
    }

    /// Runs `body` holding the job's lock; nil without running it when another session holds it.
    private func withLock<T>(_ jobID: Int, _ body: () throws -> T) throws -> T? {
        guard try store.tryLock(jobID: jobID) else { return nil }
        defer { try? store.unlock(jobID: jobID) }
        return try body()
    }

    private func reclaim(_ jobID: Int) throws {
        let count = try store.abandonExpiredRuns(jobID: jobID, at: clock.now())
        if count > 0, let job = try store.job(id: jobID) { onEvent(.abandoned(job: job.definition.name, runs: count)) }
    }

    private func runIfStillDue(_ jobID: Int) throws -> JobRun? {
        try reclaim(jobID)
        let now = clock.now()
        guard let job = try store.job(id: jobID), job.definition.enabled,
              let due = job.timing.due(at: now, schedule: job.definition.schedule, clock: job.definition.clock),
              try !store.hasRunningRun(jobID: jobID) else { return nil }
        let timing = job.timing.starting(due, at: now, schedule: job.definition.schedule, clock: job.definition.clock)
        let run = try runner.execute(job, run: due, timing: timing) { runID in
            onEvent(.started(job: job.definition.name, trigger: due.trigger, attempt: due.attempt, runID: runID))
        }
        onEvent(.finished(run))
        return run
    }

    /// `ail jobs run NAME`: runs the job now as a manual run, recorded like a scheduled one but
    /// leaving its schedule alone.
    /// - Throws: ``JobsError/Code/busy`` when it is running elsewhere.
    public func runNow(_ name: String) throws -> JobRun {
        let job = try store.job(named: name)
        let result = try withLock(job.id) { () -> JobRun in
            try reclaim(job.id)
            guard try !store.hasRunningRun(jobID: job.id) else {
                throw JobsError(.busy, "job \(name) is running now (a run is marked running and its lease has not expired); see ail jobs history \(name)")
            }
            let now = clock.now()
            return try runner.execute(job, run: JobTiming.DueRun(trigger: .manual, attempt: 1, scheduledFor: now), timing: nil)
        }
        guard let result else {
            throw JobsError(.busy, "job \(name) is running now under another scheduler (its advisory lock is held); see ail jobs history \(name)")
        }
        return result
    }
}
