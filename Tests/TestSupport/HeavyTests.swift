import Foundation
import Testing

extension Tag {
    /// Suites that take tens of seconds (fuzzing, crash and concurrency runs, process tests).
    @Tag public static var heavy: Self
}

/// Heavy suites run unless `AIL_SKIP_HEAVY=1` (`make test-quick`); `make test` and CI run them all.
public enum HeavyTests {
    public static var enabled: Bool { ProcessInfo.processInfo.environment["AIL_SKIP_HEAVY"] != "1" }
    public static let reason: Comment = "heavy suite skipped (AIL_SKIP_HEAVY=1)"
}
