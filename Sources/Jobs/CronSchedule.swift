import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), parsed.
///
/// Each field is a comma-separated list of `*`, `N`, `A-B`, with an optional `/STEP` after `*`,
/// a range or a single value (`N/STEP` means `N-max/STEP`). Months may be named `jan`…`dec`
/// and weekdays `sun`…`sat` (0 and 7 are both Sunday). `@hourly`, `@daily` (`@midnight`),
/// `@weekly`, `@monthly` and `@yearly` (`@annually`) stand for their usual expressions.
///
/// Day matching follows Vixie cron: when both day-of-month and day-of-week are restricted
/// (neither field starts with `*`), a day matches if **either** matches (`0 0 1 * mon` runs on
/// the 1st and on every Monday); otherwise both must match.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    /// The expression as written (trimmed).
    public let expression: String
    /// Bit `n` set when minute `n` (0-59) matches.
    let minutes: UInt64
    /// Bit `n` set when hour `n` (0-23) matches.
    let hours: UInt64
    /// Bit `n` set when day-of-month `n` (1-31) matches.
    let daysOfMonth: UInt64
    /// Bit `n` set when month `n` (1-12) matches.
    let months: UInt64
    /// Bit `n` set when weekday `n` (0 = Sunday … 6) matches.
    let daysOfWeek: UInt64
    /// Whether the day-of-month field starts with `*` (Vixie's DOM_STAR).
    let dayOfMonthIsStar: Bool
    /// Whether the day-of-week field starts with `*` (Vixie's DOW_STAR).
    let dayOfWeekIsStar: Bool

    public var description: String { expression }

    static let macros: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    /// Parses an expression.
    /// - Throws: ``JobsError/Code/invalidDefinition`` naming the field and the reason.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        expression = trimmed
        var body = trimmed
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.macros[trimmed.lowercased()] else {
                throw JobsError(.invalidDefinition, "schedule: unknown shorthand \(trimmed) (expected @hourly, @daily, @weekly, @monthly or @yearly)")
            }
            body = expansion
        }
        let fields = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw JobsError(.invalidDefinition, "schedule: expected five fields (minute hour day-of-month month day-of-week), got \(fields.count) in \"\(trimmed)\"")
        }
        minutes = try CronField.minute.parse(fields[0])
        hours = try CronField.hour.parse(fields[1])
        daysOfMonth = try CronField.dayOfMonth.parse(fields[2])
        months = try CronField.month.parse(fields[3])
        var weekdays = try CronField.dayOfWeek.parse(fields[4])
        if weekdays & (1 << 7) != 0 { weekdays = (weekdays | 1) & ~(1 << 7) }  // 7 is Sunday too
        daysOfWeek = weekdays
        dayOfMonthIsStar = fields[2].hasPrefix("*")
        dayOfWeekIsStar = fields[4].hasPrefix("*")
    }

    /// Whether a calendar day matches the month, day-of-month and day-of-week fields.
    /// - Parameter weekday: 0 = Sunday … 6 = Saturday.
    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months & (1 << UInt64(month)) != 0 else { return false }
        let domMatch = daysOfMonth & (1 << UInt64(day)) != 0
        let dowMatch = daysOfWeek & (1 << UInt64(weekday)) != 0
        return dayOfMonthIsStar || dayOfWeekIsStar ? domMatch && dowMatch : domMatch || dowMatch
    }

    func matchesHour(_ hour: Int) -> Bool { hours & (1 << UInt64(hour)) != 0 }
    func matchesMinute(_ minute: Int) -> Bool { minutes & (1 << UInt64(minute)) != 0 }
}

/// One of the five fields: its name, range and value names.
struct CronField {
    let name: String
    let range: ClosedRange<Int>
    let names: [String]
    /// Value of `names[0]`.
    let firstNamedValue: Int

    static let minute = CronField(name: "minute", range: 0...59, names: [], firstNamedValue: 0)
    static let hour = CronField(name: "hour", range: 0...23, names: [], firstNamedValue: 0)
    static let dayOfMonth = CronField(name: "day-of-month", range: 1...31, names: [], firstNamedValue: 1)
    static let month = CronField(name: "month", range: 1...12, firstNamedValue: 1,
                                 names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
    static let dayOfWeek = CronField(name: "day-of-week", range: 0...7, firstNamedValue: 0,
                                     names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"])

    init(name: String, range: ClosedRange<Int>, names: [String], firstNamedValue: Int) {
        self.name = name; self.range = range; self.names = names; self.firstNamedValue = firstNamedValue
    }

    init(name: String, range: ClosedRange<Int>, firstNamedValue: Int, names: [String]) {
        self.init(name: name, range: range, names: names, firstNamedValue: firstNamedValue)
    }

    /// The set of matching values as a bit mask.
    func parse(_ text: String) throws -> UInt64 {
        var mask: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            mask |= try parseItem(String(item), whole: text)
        }
        return mask
    }

    private func fail(_ reason: String) -> JobsError {
        JobsError(.invalidDefinition, "schedule: \(name) \(reason)")
    }

    private func parseItem(_ item: String, whole: String) throws -> UInt64 {
        guard !item.isEmpty else { throw fail("has an empty list item in \"\(whole)\"") }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("\"\(item)\" has more than one /") }
        var step = 1
        if parts.count == 2 {
            guard let s = Int(parts[1]), s >= 1 else { throw fail("step \"\(parts[1])\" in \"\(item)\" must be a whole number of at least 1") }
            guard s <= range.upperBound - range.lowerBound + 1 else {
                throw fail("step \(s) in \"\(item)\" is larger than the field's range (\(range.lowerBound)-\(range.upperBound))")
            }
            step = s
        }
        let base = String(parts[0])
        let low: Int, high: Int
        if base == "*" {
            (low, high) = (range.lowerBound, name == "day-of-week" ? 6 : range.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            low = try value(String(base[..<dash]), in: item)
            high = try value(String(base[base.index(after: dash)...]), in: item)
            guard low <= high else { throw fail("range \"\(base)\" runs backwards (\(low) > \(high))") }
        } else {
            low = try value(base, in: item)
            high = parts.count == 2 ? range.upperBound : low
        }
        var mask: UInt64 = 0
        for v in stride(from: low, through: high, by: step) { mask |= 1 << UInt64(v) }
        return mask
    }

    private func value(_ text: String, in item: String) throws -> Int {
        if let index = names.firstIndex(of: text.lowercased()) { return firstNamedValue + index }
        guard let v = Int(text) else {
            let known = names.isEmpty ? "" : " or a name (\(names.joined(separator: ", ")))"
            throw fail("\"\(text)\" in \"\(item)\" is not a number\(known)")
        }
        guard range.contains(v) else { throw fail("\(v) is out of range (\(range.lowerBound)-\(range.upperBound))") }
        return v
    }
}
