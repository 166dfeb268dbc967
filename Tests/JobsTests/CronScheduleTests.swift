import Foundation
import Jobs
import Testing

/// Parses an RFC 3339 UTC time for the hand-computed expectations.
func utc(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: text)!
}

func next(_ expression: String, _ zone: String = "UTC", after: String) throws -> Date? {
    try CronSchedule(expression).nextRun(after: utc(after), in: try WallClock(identifier: zone))
}

@Suite("Cron expressions and next-run times")
struct CronScheduleTests {
    @Test func plainSchedulesInUTC() throws {
        // 2026-11-27 is a Friday, 2026-11-30 a Monday.
        #expect(try next("*/20 9-17 * * mon-fri", after: "2026-11-27T17:45:00Z") == utc("2026-11-30T09:00:00Z"))
        #expect(try next("*/20 9-17 * * mon-fri", after: "2026-11-30T09:00:00Z") == utc("2026-11-30T09:20:00Z"))
        #expect(try next("0 3 * * *", after: "2026-11-30T03:00:00Z") == utc("2026-12-01T03:00:00Z"))
        #expect(try next("0 3 * * *", after: "2026-11-30T02:59:59Z") == utc("2026-11-30T03:00:00Z"))
        #expect(try next("5,35 */6 * * *", after: "2026-11-30T06:35:00Z") == utc("2026-11-30T12:05:00Z"))
        #expect(try next("15/20 * * * *", after: "2026-11-30T10:56:00Z") == utc("2026-11-30T11:15:00Z"))
        // Names, case-insensitive; the first Sunday of January 2027 is the 3rd.
        #expect(try next("0 12 * JAN,jul Sun", after: "2026-11-30T00:00:00Z") == utc("2027-01-03T12:00:00Z"))
        // A leap day: next in 2028.
        #expect(try next("0 0 29 2 *", after: "2026-03-01T00:00:00Z") == utc("2028-02-29T00:00:00Z"))
    }

    @Test func shorthandsExpandToTheirExpressions() throws {
        let after = "2026-11-30T10:30:00Z"  // a Monday
        #expect(try next("@hourly", after: after) == utc("2026-11-30T11:00:00Z"))
        #expect(try next("@daily", after: after) == utc("2026-12-01T00:00:00Z"))
        #expect(try next("@weekly", after: after) == utc("2026-12-06T00:00:00Z"))
        #expect(try next("@monthly", after: after) == utc("2026-12-01T00:00:00Z"))
        #expect(try next("@yearly", after: after) == utc("2027-01-01T00:00:00Z"))
        #expect(try next("0 0 * * 7", after: after) == next("0 0 * * 0", after: after))
    }

    @Test func dayOfMonthAndDayOfWeekFollowVixieCron() throws {
        // Both restricted: either matches. 2026-11-01 is a Sunday, so Monday the 2nd comes first.
        #expect(try next("0 0 1 * mon", after: "2026-11-01T00:00:00Z") == utc("2026-11-02T00:00:00Z"))
        #expect(try next("0 0 1 * mon", after: "2026-11-30T00:00:00Z") == utc("2026-12-01T00:00:00Z"))
        // A field starting with * is unrestricted for this rule: both must match (odd days that are Mondays).
        #expect(try next("0 0 */2 * mon", after: "2026-11-01T00:00:00Z") == utc("2026-11-09T00:00:00Z"))
        #expect(try next("0 0 * * mon", after: "2026-11-01T00:00:00Z") == utc("2026-11-02T00:00:00Z"))
    }

    @Test func badExpressionsAreRefusedWithTheFieldAndReason() throws {
        func reason(_ text: String) -> String {
            do { _ = try CronSchedule(text); return "accepted" } catch { return "\(error)" }
        }
        #expect(reason("0 3 * *") == "schedule: expected five fields (minute hour day-of-month month day-of-week), got 4 in \"0 3 * *\"")
        #expect(reason("60 3 * * *") == "schedule: minute 60 is out of range (0-59)")
        #expect(reason("0 3 32 * *") == "schedule: day-of-month 32 is out of range (1-31)")
        #expect(reason("0 3 * 13 *") == "schedule: month 13 is out of range (1-12)")
        #expect(reason("0 3 * * 8") == "schedule: day-of-week 8 is out of range (0-7)")
        #expect(reason("*/0 * * * *") == "schedule: minute step \"0\" in \"*/0\" must be a whole number of at least 1")
        #expect(reason("0 17-9 * * *") == "schedule: hour range \"17-9\" runs backwards (17 > 9)")
        #expect(reason("0 3 * foo *") == "schedule: month \"foo\" in \"foo\" is not a number or a name (jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec)")
        #expect(reason("0 3 * * 1,,2") == "schedule: day-of-week has an empty list item in \"1,,2\"")
        #expect(reason("@reboot") == "schedule: unknown shorthand @reboot (expected @hourly, @daily, @weekly, @monthly or @yearly)")
        // Parses, but no day ever matches: refused as a job definition.
        let never = try CronSchedule("0 0 30 2 *")
        #expect(throws: JobsError.self) {
            try JobDefinition(name: "x", command: ["db", "status"], schedule: never, clock: try WallClock(identifier: "UTC"))
        }
    }

    @Test func unknownZonesAreRefusedAndUTCKeepsItsName() throws {
        #expect(throws: JobsError(.invalidDefinition, "timezone: unknown IANA time zone \"Mars/Olympus\" (expected a name such as UTC, Europe/Berlin or America/New_York)")) {
            try WallClock(identifier: "Mars/Olympus")
        }
        #expect(try WallClock(identifier: "UTC").identifier == "UTC")
        #expect(try WallClock(identifier: "Europe/Berlin").format(utc("2026-03-29T01:00:00Z")) == "2026-03-29 03:00 +02:00")
    }
}
