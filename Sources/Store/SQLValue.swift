import Foundation

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
        let micros = microsecondsSinceEpoch(date)
        let (secs, frac) = micros.quotientAndRemainderFlooring(1_000_000)
        let (days, secOfDay) = secs.quotientAndRemainderFlooring(86_400)
        let (y, m, d) = civilFromDays(days)
        let hh = secOfDay / 3600, mm = (secOfDay % 3600) / 60, ss = secOfDay % 60
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", y, m, d, hh, mm, ss, frac)
    }

    /// Parses PostgreSQL's ISO output (`2024-05-01 12:00:00.00025+00`, offsets like `+05:30`),
    /// a bare date (`2024-05-01`, midnight UTC) or RFC 3339 (`T` separator, `Z`).
    public static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int64? {
            guard i + count <= bytes.count else { return nil }
            var v: Int64 = 0
            for k in 0..<count {
                let c = bytes[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2),
              expect(UInt8(ascii: "-")), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = daysFromCivil(year, month, day) * 86_400
        var micros: Int64 = 0
        if i == bytes.count { return date(microsecondsSinceEpoch: seconds * 1_000_000) }
        guard i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "T")
                || bytes[i] == UInt8(ascii: "t") else { return nil }
        i += 1
        guard let hh = number(2), expect(UInt8(ascii: ":")), let mi = number(2), expect(UInt8(ascii: ":")),
              let ss = number(2), hh < 24, mi < 60, ss < 61 else { return nil }
        seconds += hh * 3600 + mi * 60 + ss
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ",") {
            i += 1
            var digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(bytes[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offset: Int64 = 0
        if i < bytes.count {
            let sign = bytes[i]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                i += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                i += 1
                guard let oh = number(2) else { return nil }
                var om: Int64 = 0, os: Int64 = 0
                if expect(UInt8(ascii: ":")) { guard let v = number(2) else { return nil }; om = v }
                else if let v = number(2) { om = v }
                if expect(UInt8(ascii: ":")) { guard let v = number(2) else { return nil }; os = v }
                offset = (oh * 3600 + om * 60 + os) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard i == bytes.count else { return nil }
        return date(microsecondsSinceEpoch: (seconds - offset) * 1_000_000 + micros)
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

    // Howard Hinnant's civil-date algorithms (proleptic Gregorian, days since 1970-01-01), shared
    // with the job scheduler's wall-clock arithmetic.
    public static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
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
