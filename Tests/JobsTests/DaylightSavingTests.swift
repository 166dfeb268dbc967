import Foundation
import Jobs
import Testing

/// Next-run times across daylight-saving changes, computed by hand from the rules in force:
/// Europe/Berlin leaves CET (+1) for CEST (+2) at 01:00 UTC on 2026-03-29 (02:00 → 03:00 local)
/// and returns at 01:00 UTC on 2026-10-25 (03:00 → 02:00 local); America/New_York leaves EST
/// (−5) for EDT (−4) at 07:00 UTC on 2026-03-08 and returns at 06:00 UTC on 2026-11-01.
@Suite("Daylight-saving changes")
struct DaylightSavingTests {
    @Test func berlinSpringForwardRunsASkippedTimeAtTheNextValidTime() throws {
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-03-27T12:00:00Z") == utc("2026-03-28T01:30:00Z"))  // 02:30 CET
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00Z") == utc("2026-03-29T01:00:00Z"))  // 03:00 CEST
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-03-29T01:00:00Z") == utc("2026-03-30T00:30:00Z"))  // 02:30 CEST
        // Four skipped times (02:00-02:45) make one run at 03:00 CEST, then 03:00 itself is that same instant.
        #expect(try next("*/15 2,3 * * *", "Europe/Berlin", after: "2026-03-29T00:50:00Z") == utc("2026-03-29T01:00:00Z"))
        #expect(try next("*/15 2,3 * * *", "Europe/Berlin", after: "2026-03-29T01:00:00Z") == utc("2026-03-29T01:15:00Z"))
        // Times on either side are untouched.
        #expect(try next("0 3 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00Z") == utc("2026-03-29T01:00:00Z"))
        #expect(try next("59 1 * * *", "Europe/Berlin", after: "2026-03-28T12:00:00Z") == utc("2026-03-29T00:59:00Z"))
    }

    @Test func berlinFallBackRunsARepeatedTimeOnce() throws {
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-10-24T12:00:00Z") == utc("2026-10-25T00:30:00Z"))  // 02:30 CEST
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-10-25T00:30:00Z") == utc("2026-10-26T01:30:00Z"))  // not 02:30 CET
        // Hourly through the change: 02:00 CEST, then 03:00 CET; the second 02:00 is the same wall time.
        #expect(try next("0 * * * *", "Europe/Berlin", after: "2026-10-24T23:30:00Z") == utc("2026-10-25T00:00:00Z"))
        #expect(try next("0 * * * *", "Europe/Berlin", after: "2026-10-25T00:00:00Z") == utc("2026-10-25T02:00:00Z"))
        // Asked from inside the second 02:xx, the next is 03:00 CET.
        #expect(try next("30 2 * * *", "Europe/Berlin", after: "2026-10-25T01:10:00Z") == utc("2026-10-26T01:30:00Z"))
    }

    @Test func newYorkTransitions() throws {
        #expect(try next("0 2 * * *", "America/New_York", after: "2026-03-07T12:00:00Z") == utc("2026-03-08T07:00:00Z"))   // 03:00 EDT
        #expect(try next("0 2 * * *", "America/New_York", after: "2026-03-08T07:00:00Z") == utc("2026-03-09T06:00:00Z"))   // 02:00 EDT
        #expect(try next("30 1 * * *", "America/New_York", after: "2026-10-31T12:00:00Z") == utc("2026-11-01T05:30:00Z"))  // 01:30 EDT
        #expect(try next("30 1 * * *", "America/New_York", after: "2026-11-01T05:30:00Z") == utc("2026-11-02T06:30:00Z"))  // 01:30 EST
    }

    /// A daily job at a time inside both change windows runs once on every local day of 2026:
    /// 365 runs, no day skipped, none doubled.
    @Test(arguments: [("30 2 * * *", "Europe/Berlin"), ("30 1 * * *", "America/New_York"), ("0 2 * * *", "America/New_York")])
    func dailyJobIsNeitherSkippedNorDoubled(expression: String, zone: String) throws {
        let schedule = try CronSchedule(expression)
        let clock = try WallClock(identifier: zone)
        var runs: [Date] = []
        var cursor = utc("2025-12-31T12:00:00Z")
        while let run = schedule.nextRun(after: cursor, in: clock), run < utc("2026-12-31T12:00:00Z") {
            runs.append(run)
            cursor = run
        }
        #expect(runs.count == 365)
        let days = Set(runs.map { String(clock.format($0).prefix(10)) })
        #expect(days.count == 365)
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 23 * 3600 && $1.timeIntervalSince($0) <= 25 * 3600 })
    }
}
