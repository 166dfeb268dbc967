import Foundation

/// How a runner holds and gives up a run.
public struct RunSettings: Sendable {
    /// Seconds a run's lease lasts; the runner renews it every third of that. A run whose lease
    /// has expired is marked abandoned by the next scheduler that looks.
    public var lease: TimeInterval
    /// Seconds a running command may take to finish after a stop is requested, before its
    /// process group gets SIGTERM (and SIGKILL 10 s later).
    public var grace: TimeInterval
    /// Who is running: `host:pid`, recorded on each run.
    public var runner: String

    public init(lease: TimeInterval = 60, grace: TimeInterval = 120, runner: String = RunSettings.defaultRunner) {
        self.lease = lease
        self.grace = grace
        self.runner = runner
    }

    /// `host:pid` of this process.
    public static var defaultRunner: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }
}

/// Whether a stop has been asked for (SIGTERM/SIGINT in the scheduler; a flag in tests).
public struct StopCondition: Sendable {
    let check: @Sendable () -> Bool
    public init(_ check: @Sendable @escaping () -> Bool) { self.check = check }
    public var isRequested: Bool { check() }
    /// Never stops.
    public static let never = StopCondition { false }
}

/// SIGTERM and SIGINT handlers that only set a flag, read by ``StopSignals/condition``.
public enum StopSignals {
    nonisolated(unsafe) private static var received: Int32 = 0

    /// Installs the handlers (the running command, in its own process group, is not signalled).
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in StopSignals.received = signal }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        // A mask inherited from the parent (a test runner's thread) would hold them pending forever.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// The signal received, 0 if none.
    public static var signal: Int32 { received }

    /// Requested once SIGTERM or SIGINT has arrived.
    public static let condition = StopCondition { StopSignals.received != 0 }
}
