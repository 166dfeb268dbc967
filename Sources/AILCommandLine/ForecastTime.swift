import Foundation

/// The time column of `ail forecast`: `1949-01` months or local timestamps read as UTC
/// (`2026-03-01`, `2026-03-01 14:00`, `2026-03-01T14:00:05`). Kept small and private to the
/// command: a shared timestamp parser is being consolidated elsewhere and will replace it.
enum ForecastTime: Comparable {
    /// Months since 0000-01.
    case month(Int)
    /// Seconds since 1970-01-01 00:00 UTC.
    case instant(Int64)

    static func parse(_ text: String) -> ForecastTime? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2, let month = Int(parts[1]),
              (1...12).contains(month) else { return nil }
        if parts.count == 2 { return .month(year * 12 + month - 1) }
        let rest = parts[2].replacingOccurrences(of: "T", with: " ").split(separator: " ", omittingEmptySubsequences: true)
        guard let dayText = rest.first, dayText.count == 2, let day = Int(dayText), rest.count <= 2 else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        if rest.count == 2 {
            let clock = rest[1].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(clock.count), let h = Int(clock[0]), let mi = Int(clock[1]), (0..<24).contains(h), (0..<60).contains(mi) else { return nil }
            let s = clock.count == 3 ? Int(clock[2]) : 0
            guard let s, (0..<60).contains(s) else { return nil }
            (components.hour, components.minute, components.second) = (h, mi, s)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        guard calendar.date(from: components).map({ calendar.component(.day, from: $0) == day }) == true,
              let date = calendar.date(from: components) else { return nil }
        return .instant(Int64(date.timeIntervalSince1970))
    }

    /// The time `steps` sampling intervals after `self`, the interval taken from the last two
    /// observations.
    func advanced(by steps: Int, from previous: ForecastTime) -> ForecastTime {
        switch (self, previous) {
        case let (.month(a), .month(b)): return .month(a + steps * (a - b))
        case let (.instant(a), .instant(b)): return .instant(a + Int64(steps) * (a - b))
        default: return self
        }
    }

    var text: String {
        switch self {
        case .month(let m): return String(format: "%04d-%02d", m / 12, m % 12 + 1)
        case .instant(let s):
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(s)))
        }
    }

    var isMonth: Bool { if case .month = self { return true } else { return false } }
}
