import Foundation

/// How figures are written in text, tables and chart labels: rates as percentages, stars with
/// two decimals, milliseconds whole, counts with thousands separators; a missing value is "—".
public enum ValueFormat {
    public static func value(_ v: Double?, unit: String) -> String {
        guard let v, v.isFinite else { return "—" }
        switch unit {
        case "rate": return String(format: "%.1f%%", v * 100)
        case "stars": return String(format: "%.2f", v)
        case "ms": return String(format: "%.0f ms", v)
        case "count": return count(Int(v.rounded()))
        default: return String(format: "%.3g", v)
        }
    }

    /// A change in the unit's terms: percentage points for rates, a relative change for counts
    /// and latencies, stars for satisfaction.
    public static func change(_ kpi: KPIChange) -> String {
        guard let change = kpi.change else { return "—" }
        switch kpi.unit {
        case "rate": return String(format: "%+.1f pp", change * 100)
        case "stars": return String(format: "%+.2f", change)
        default:
            guard let relative = kpi.relativeChange else { return String(format: "%+.0f", change) }
            return String(format: "%+.1f%%", relative * 100)
        }
    }

    /// "better", "worse" or "same" for a change of a rate, stars or latency, by the KPI's
    /// direction; nothing for volumes (more sessions is neither).
    public static func verdict(_ kpi: KPIChange) -> String {
        guard kpi.unit != "count", let change = kpi.change else { return "" }
        if change == 0 { return "same" }
        return (change > 0) == kpi.higherIsBetter ? "better" : "worse"
    }

    /// `1234567` → `1,234,567`.
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A JSON value for an optional double (NSNull when missing or not finite).
    public static func json(_ v: Double?) -> Any { v.flatMap { $0.isFinite ? $0 : nil } ?? NSNull() }
}
