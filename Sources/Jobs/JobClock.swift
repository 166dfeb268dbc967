import Foundation

/// Where the scheduler reads the time: the system clock in production, a ``ManualClock`` in
/// tests, so schedules, catch-up, retries, leases and DST are checked in seconds.
public protocol JobClock: Sendable {
    func now() -> Date
}

/// The system's wall clock.
public struct SystemClock: JobClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class ManualClock: JobClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    /// Sets the time.
    public func set(_ date: Date) { lock.withLock { current = date } }

    /// Moves the time forward by `seconds`.
    public func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}
