import Foundation

/// A job's scheduling state and the rules that move it: when it is due, what a run is
/// (on time, catch-up, retry), and what comes next. Pure, so schedules, catch-up, retries and
/// DST are tested without a server or a clock.
public struct JobTiming: Sendable, Equatable {
    /// The next scheduled time; the job is due once it has passed.
    public var nextRunAt: Date
    /// When a retry of a failed run is due, if one is pending.
    public var retryAt: Date?
    /// The attempt number of the pending retry (2 = first retry).
    public var retryAttempt: Int?

    public init(nextRunAt: Date, retryAt: Date? = nil, retryAttempt: Int? = nil) {
        self.nextRunAt = nextRunAt
        self.retryAt = retryAt
        self.retryAttempt = retryAttempt
    }

    /// Why a run starts.
    public enum Trigger: String, Sendable, Codable {
        /// At its scheduled time.
        case schedule
        /// After downtime that covered at least one later scheduled time: one run stands for all.
        case catchUp = "catch_up"
        /// A retry of a failed attempt.
        case retry
        /// `ail jobs run`.
        case manual
    }

    /// A run the scheduler should start now.
    public struct DueRun: Sendable, Equatable {
        public var trigger: Trigger
        public var attempt: Int
        /// The scheduled (or retry) time the run serves.
        public var scheduledFor: Date

        public init(trigger: Trigger, attempt: Int, scheduledFor: Date) {
            self.trigger = trigger
            self.attempt = attempt
            self.scheduledFor = scheduledFor
        }
    }

    /// The run due at `now`, if any. A scheduled time that has come supersedes a pending retry.
    public func due(at now: Date, schedule: CronSchedule, clock: WallClock) -> DueRun? {
        if nextRunAt <= now {
            let later = schedule.nextRun(after: nextRunAt, in: clock)
            let missedOne = later.map { $0 <= now } ?? false
            return DueRun(trigger: missedOne ? .catchUp : .schedule, attempt: 1, scheduledFor: nextRunAt)
        }
        if let retryAt, let retryAttempt, retryAt <= now {
            return DueRun(trigger: .retry, attempt: retryAttempt, scheduledFor: retryAt)
        }
        return nil
    }

    /// The state once `run` has started at `now`: a scheduled run moves the next time past `now`
    /// (so missed times are not run again, and a crashed run is not restarted before its next
    /// time) and drops any pending retry; a retry clears itself.
    public func starting(_ run: DueRun, at now: Date, schedule: CronSchedule, clock: WallClock) -> JobTiming {
        var next = self
        switch run.trigger {
        case .schedule, .catchUp:
            // A definition is refused when it never fires, so nil cannot happen; keep a time a year out.
            next.nextRunAt = schedule.nextRun(after: now, in: clock) ?? now.addingTimeInterval(366 * 86_400)
            next.retryAt = nil
            next.retryAttempt = nil
        case .retry:
            next.retryAt = nil
            next.retryAttempt = nil
        case .manual:
            break
        }
        return next
    }

    /// The state once attempt `attempt` ended at `end`: after a failure with retries left, a
    /// retry is due `policy.delay(afterFailedAttempt:)` seconds later.
    public func finishing(attempt: Int, trigger: Trigger, succeeded: Bool, at end: Date, policy: RetryPolicy) -> JobTiming {
        var next = self
        guard trigger != .manual, !succeeded, let delay = policy.delay(afterFailedAttempt: attempt) else { return next }
        next.retryAt = end.addingTimeInterval(TimeInterval(delay))
        next.retryAttempt = attempt + 1
        return next
    }
}
