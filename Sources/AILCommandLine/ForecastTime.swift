import Foundation
import Primitives

/// The time column of `ail forecast`: `1949-01` months or local timestamps read as UTC
/// (`2026-03-01`, `2026-03-01 14:00`, `2026-03-01T14:00:05`), parsed by `TimestampText`'s local
/// form, the project's one timestamp parser.
enum ForecastTime: Comparable {
    /// Months since 0000-01.
    case month(Int)
    /// Seconds since 1970-01-01 00:00 UTC.
    case instant(Int64)

    static func parse(_ text: String) -> ForecastTime? {
        let t = text.trimmingCharacters(in: .whitespaces)
        // `1949-01`: a month, stepped by months (not by a fixed number of seconds)
        let bytes = Array(t.utf8)
        if bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
           let year = Int(t.prefix(4)), let month = Int(t.suffix(2)), (1...12).contains(month) {
            return .month(year * 12 + month - 1)
        }
        // everything else through the project's one timestamp parser, local forms read as UTC
        guard let micro = TimestampText.microseconds(t, form: .local) else { return nil }
        return .instant(micro / 1_000_000)
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
        case .instant(let s): return TimestampText.format(microseconds: s * 1_000_000)
        }
    }

    var isMonth: Bool { if case .month = self { return true } else { return false } }
}
