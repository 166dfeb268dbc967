import Foundation
import Primitives
import Store

/// A run of whole UTC days, `first` through `last` inclusive, as epoch days (days since
/// 1970-01-01). Every dashboard and trend figure is computed over such a window, so the text
/// view, the JSON and the HTML report of one `--as-of` agree to the row.
public struct DayWindow: Sendable, Equatable {
    /// First and last day (inclusive), as days since 1970-01-01.
    public let first: Int64, last: Int64

    public init(first: Int64, last: Int64) {
        self.first = first
        self.last = last
    }

    /// The `days` days ending with `asOf` (inclusive).
    public init(endingOn asOf: Int64, days: Int) {
        self.init(first: asOf - Int64(days) + 1, last: asOf)
    }

    public var days: Int { Int(last - first + 1) }

    /// The window of equal length just before this one.
    public var previous: DayWindow { DayWindow(first: first - Int64(days), last: first - 1) }

    /// The first day as `YYYY-MM-DD` (PostgreSQL `date` text).
    public var startText: String { DayWindow.text(first) }
    /// The day after the last, `YYYY-MM-DD`: the exclusive upper bound for `created_at < …`.
    public var endText: String { DayWindow.text(last + 1) }
    /// The last day (inclusive), `YYYY-MM-DD`.
    public var lastText: String { DayWindow.text(last) }

    /// Query parameters `[$1 start, $2 end)` for `created_at >= $1::date AND created_at < $2::date`.
    var parameters: [SQLValue] { [.text(startText), .text(endText)] }

    /// `YYYY-MM-DD` of an epoch day.
    public static func text(_ day: Int64) -> String {
        let (y, m, d) = CivilDate.date(days: day)
        return String(format: "%04d-%02d-%02d", Int(y), Int(m), Int(d))
    }

    /// The epoch day of `YYYY-MM-DD` text, or nil when it is not a valid date.
    public static func day(_ text: String) -> Int64? {
        guard text.count == 10, let micros = TimestampText.microseconds(text, form: .postgres) else { return nil }
        return micros.quotient(86_400_000_000)
    }

    /// The UTC day of the latest event in the tracking tables (sessions, interactions, tool
    /// calls, code generations, feedback), or nil when they are all empty: the default `--as-of`.
    public static func latestDataDay(_ connection: Connection) throws -> Int64? {
        let sql = """
            SELECT to_char((max(t) AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') FROM (
              SELECT max(started_at) AS t FROM ai_sessions
              UNION ALL SELECT max(created_at) FROM ai_interactions
              UNION ALL SELECT max(created_at) FROM tool_usage_analytics
              UNION ALL SELECT max(created_at) FROM code_generation_events
              UNION ALL SELECT max(created_at) FROM user_feedback) m
            """
        guard let text = try connection.execute(sql).first?.text(0) else { return nil }
        return day(text)
    }
}

private extension Int64 {
    /// Floor division (days before 1970 round toward −∞).
    func quotient(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
