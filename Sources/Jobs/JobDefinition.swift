import Foundation

/// What a job is: a name, an `ail` command line, a cron schedule in an IANA zone, and the
/// retry and history bounds. Validated on creation, so a stored definition is always runnable.
public struct JobDefinition: Sendable, Equatable {
    public var name: String
    /// The `ail` command line without the leading `ail` (`["ingest", "spool/events.ndjson"]`).
    public var command: [String]
    public var schedule: CronSchedule
    public var clock: WallClock
    public var enabled: Bool
    public var retry: RetryPolicy
    public var history: HistoryBound

    /// - Throws: ``JobsError/Code/invalidDefinition`` naming the field: a name outside
    ///   `[A-Za-z0-9][A-Za-z0-9_.-]{0,62}`, an empty command, or a schedule that never fires.
    public init(name: String, command: [String], schedule: CronSchedule, clock: WallClock, enabled: Bool = true,
                retry: RetryPolicy = RetryPolicy(), history: HistoryBound = HistoryBound()) throws {
        guard Self.isValidName(name) else {
            throw JobsError(.invalidDefinition, "name: \"\(name)\" is not a job name (1-63 letters, digits, _ . -, starting with a letter or digit)")
        }
        guard !command.isEmpty else { throw JobsError(.invalidDefinition, "command: empty (give the ail command after --, e.g. -- ingest events.ndjson)") }
        guard schedule.nextRun(after: Date(timeIntervalSince1970: 0), in: clock) != nil else {
            throw JobsError(.invalidDefinition, "schedule: \"\(schedule.expression)\" never fires (no day matches it)")
        }
        self.name = name
        self.command = command
        self.schedule = schedule
        self.clock = clock
        self.enabled = enabled
        self.retry = retry
        self.history = history
    }

    static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (1...63).contains(scalars.count) else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool { c.isASCII && (CharacterSet.alphanumerics.contains(c)) }
        return alnum(scalars[0]) && scalars.allSatisfy { alnum($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    public static func == (a: JobDefinition, b: JobDefinition) -> Bool {
        a.hasSameSpecification(as: b) && a.enabled == b.enabled
    }

    /// Equal in everything but `enabled`: re-adding such a job (a re-run setup script) leaves it,
    /// and whether someone disabled it, alone.
    public func hasSameSpecification(as other: JobDefinition) -> Bool {
        name == other.name && command == other.command && schedule.expression == other.schedule.expression
            && clock.identifier == other.clock.identifier && retry == other.retry && history == other.history
    }
}

/// Retries after a failed run: attempt `k + 1` starts `initialDelay × 2^(k−1)` after attempt `k`
/// ended, up to `maxRetries` retries (by default 3 retries, 1, 2 and 4 minutes apart).
public struct RetryPolicy: Sendable, Equatable {
    public var maxRetries: Int
    /// Seconds before the first retry.
    public var initialDelay: Int

    /// - Throws: ``JobsError/Code/invalidDefinition`` outside 0...20 retries or 1 s...1 day.
    public init(maxRetries: Int = 3, initialDelay: Int = 60) throws {
        guard (0...20).contains(maxRetries) else { throw JobsError(.invalidDefinition, "retries: out of range (expected 0...20, got \(maxRetries))") }
        guard (1...86_400).contains(initialDelay) else { throw JobsError(.invalidDefinition, "retry-delay: out of range (expected 1...86400 seconds, got \(initialDelay))") }
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
    }

    public init() { maxRetries = 3; initialDelay = 60 }

    /// Seconds to wait after failed attempt `attempt` (1-based) before the next one; nil when
    /// no retry is left.
    public func delay(afterFailedAttempt attempt: Int) -> Int? {
        guard attempt >= 1, attempt <= maxRetries else { return nil }
        return initialDelay << (attempt - 1)
    }
}

/// How much run history is kept per job: finished runs beyond the newest `maxRuns`, or older
/// than `maxDays`, are deleted after each run (by default 1,000 runs, 90 days).
public struct HistoryBound: Sendable, Equatable {
    public var maxRuns: Int
    public var maxDays: Int

    /// - Throws: ``JobsError/Code/invalidDefinition`` outside 1...1,000,000 runs or 1...36,500 days.
    public init(maxRuns: Int = 1000, maxDays: Int = 90) throws {
        guard (1...1_000_000).contains(maxRuns) else { throw JobsError(.invalidDefinition, "keep-runs: out of range (expected 1...1000000, got \(maxRuns))") }
        guard (1...36_500).contains(maxDays) else { throw JobsError(.invalidDefinition, "keep-days: out of range (expected 1...36500, got \(maxDays))") }
        self.maxRuns = maxRuns
        self.maxDays = maxDays
    }

    public init() { maxRuns = 1000; maxDays = 90 }
}
