import Foundation
import Primitives

/// A query parameter, sent to the server in PostgreSQL's text format and typed by the server
/// from context (add a cast such as `$1::int` where the context does not say).
///
/// Values are never spliced into SQL: they travel separately through `PQexecParams`.
public enum SQLValue: Sendable, Equatable {
    case null
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case timestamp(Date)
    /// JSON text for a `json`/`jsonb` parameter.
    case json(String)
    case textArray([String])
    case uuid(UUID)
    /// An exact decimal (for `numeric`).
    case decimal(Decimal)

    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    public init(_ value: Int?) { self = value.map(SQLValue.int) ?? .null }
    public init(_ value: Double?) { self = value.map(SQLValue.double) ?? .null }
    public init(_ value: Bool?) { self = value.map(SQLValue.bool) ?? .null }
    public init(_ value: Date?) { self = value.map(SQLValue.timestamp) ?? .null }
    public init(_ value: UUID?) { self = value.map(SQLValue.uuid) ?? .null }
    public init(_ value: [String]?) { self = value.map(SQLValue.textArray) ?? .null }

    /// The PostgreSQL text representation, nil for NULL.
    public var postgresText: String? {
        switch self {
        case .null: return nil
        case .text(let s), .json(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return PostgresText.double(d)
        case .bool(let b): return b ? "t" : "f"
        case .timestamp(let date): return PostgresText.timestamp(date)
        case .textArray(let items): return PostgresText.array(items)
        case .uuid(let u): return u.uuidString.lowercased()
        case .decimal(let d): return "\(d)"
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}

/// Formatting and parsing of PostgreSQL's text representations.
public enum PostgresText {
    /// Shortest text that reads back as the same Double, with PostgreSQL's spellings of the specials.
    public static func double(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
        return "\(d)"
    }

    /// Microseconds since 1970-01-01 UTC, rounded to the nearest microsecond (PostgreSQL's resolution).
    public static func microsecondsSinceEpoch(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Date from microseconds since 1970-01-01 UTC.
    public static func date(microsecondsSinceEpoch micros: Int64) -> Date {
        let seconds = micros.quotientAndRemainderFlooring(1_000_000)
        return Date(timeIntervalSince1970: Double(seconds.quotient) + Double(seconds.remainder) / 1_000_000)
    }

    /// RFC 3339 in UTC with microseconds: `2024-05-01T12:00:00.000250Z`.
    public static func timestamp(_ date: Date) -> String {
        TimestampText.formatMicroseconds(microsecondsSinceEpoch(date))
    }

    /// Parses PostgreSQL's ISO output (`2024-05-01 12:00:00.00025+00`, offsets like `+05:30`),
    /// a bare date (`2024-05-01`, midnight UTC) or RFC 3339 (`T` separator, `Z`); see
    /// ``TimestampText/Form/postgres``.
    public static func parseTimestamp(_ text: String) -> Date? {
        TimestampText.microseconds(text, form: .postgres).map(date(microsecondsSinceEpoch:))
    }

    /// A one-dimensional array literal with every element quoted: `{"a","b \"c\""}`.
    public static func array(_ items: [String]) -> String {
        var out = "{"
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for ch in item.unicodeScalars {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.unicodeScalars.append(ch)
            }
            out += "\""
        }
        return out + "}"
    }

    /// Parses a one-dimensional array literal; NULL elements come back as nil.
    public static func parseArray(_ text: String) -> [String?]? {
        var scalars = Substring(text).unicodeScalars[...]
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        scalars = scalars.dropFirst().dropLast()
        var items: [String?] = []
        if scalars.isEmpty { return items }
        var iterator = scalars.makeIterator()
        var current = String.UnicodeScalarView()
        var quoted = false, wasQuoted = false, escaping = false
        while let c = iterator.next() {
            if escaping { current.append(c); escaping = false; continue }
            if quoted {
                if c == "\\" { escaping = true } else if c == "\"" { quoted = false } else { current.append(c) }
                continue
            }
            switch c {
            case "\"": quoted = true; wasQuoted = true
            case "\\": escaping = true
            case ",":
                let s = String(current)
                items.append(!wasQuoted && s == "NULL" ? nil : s)
                current = String.UnicodeScalarView(); wasQuoted = false
            default: current.append(c)
            }
        }
        guard !quoted, !escaping else { return nil }
        let s = String(current)
        items.append(!wasQuoted && s == "NULL" ? nil : s)
        return items
    }
}

extension Int64 {
    /// Quotient rounded toward negative infinity and the matching non-negative remainder.
    func quotientAndRemainderFlooring(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var q = self / divisor, r = self % divisor
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}
