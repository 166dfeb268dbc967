/// Timestamps as text: one parser with explicit forms and the project's UTC formatters.
///
/// Forms (`T`, `t` or a space between date and time in all of them):
/// - ``Form/rfc3339``: events. `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|z|±HH:MM)`, the offset required and
///   at most ±15:59 (PostgreSQL refuses ±16:00 and beyond, SQLSTATE 22009).
/// - ``Form/postgres``: PostgreSQL's ISO output, `2024-05-01 12:00:00.00025+00` (offset optional,
///   UTC when absent; `±HH`, `±HHMM`, `±HH:MM`, `±HH:MM:SS`), a `,` fraction, or a bare date
///   (midnight UTC); RFC 3339 text too.
/// - ``Form/local``: time columns of data files, read as UTC: the PostgreSQL form plus `YYYY-MM`
///   (the first of the month), `YYYY` and `HH:MM` without seconds (`2013-12-02 21:15`, `1949-01`).
///
/// Fractions beyond the sixth digit round half to even, as PostgreSQL's `timestamptz` does.
public enum TimestampText {
    /// Which text forms a parse accepts.
    public enum Form: Sendable { case rfc3339, postgres, local }

    /// Largest zone offset PostgreSQL accepts, in hours.
    public static let maximumOffsetHours = 15

    /// Microseconds since 1970-01-01T00:00:00Z, or nil when `text` is not in `form`.
    public static func microseconds(_ text: String, form: Form) -> Int64? {
        var copy = text
        return copy.withUTF8 { parse($0, form: form)?.microseconds }
    }

    /// Microseconds since 1970-01-01T00:00:00Z of the UTF-8 `bytes`, or nil when they are not
    /// in `form`: the data readers' entry, with no `String` per cell.
    public static func microseconds(_ bytes: UnsafeBufferPointer<UInt8>, form: Form) -> Int64? {
        parse(bytes, form: form)?.microseconds
    }

    /// Seconds since 1970-01-01T00:00:00Z of strict RFC 3339 text (the fraction summed as a
    /// double, so `.250` is exactly 0.25), or nil.
    public static func seconds(rfc3339 text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { b -> Double? in
            guard let p = parse(b, form: .rfc3339) else { return nil }
            return Double(p.wholeSeconds) + p.fraction
        }
    }

    /// The parsed instant: whole seconds, the fraction as a double, and microseconds (rounded).
    struct Parsed {
        var wholeSeconds: Int64
        var fraction: Double
        var microseconds: Int64
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, form: Form) -> Parsed? {
        let n = b.count
        var i = 0
        func number(_ count: Int) -> Int64? {
            guard i + count <= n else { return nil }
            var v: Int64 = 0
            for k in i..<(i + count) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, b[i] == c else { return false }
            i += 1
            return true
        }
        // Date.
        guard let year = number(4), year >= 1 else { return nil }
        var month: Int64 = 1, day: Int64 = 1
        if expect(45) {
            guard let m = number(2) else { return nil }
            month = m
            if expect(45) {
                guard let d = number(2) else { return nil }
                day = d
            } else if form != .local || i != n {
                return nil
            }
        } else if form != .local || i != n {
            return nil
        }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        if i == n {
            guard form != .rfc3339 else { return nil }
            return Parsed(wholeSeconds: days * 86_400, fraction: 0, microseconds: days * 86_400_000_000)
        }
        // Time.
        guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }
        i += 1
        guard let hour = number(2), expect(58), let minute = number(2), hour <= 23, minute <= 59 else { return nil }
        var second: Int64 = 0
        let hasSeconds = expect(58)
        if hasSeconds {
            guard let s = number(2), s <= 59 else { return nil }
            second = s
        } else if form != .local {
            return nil
        }
        var fraction = 0.0
        var micro: Int64 = 0
        if hasSeconds, i < n, b[i] == 46 || (b[i] == 44 && form != .rfc3339) {
            i += 1
            let start = i
            var scale = 0.1
            var roundDigit: Int64 = 0, sticky = false
            while i < n, b[i] >= 48, b[i] <= 57 {
                let d = Int64(b[i] - 48)
                fraction += Double(d) * scale
                scale /= 10
                switch i - start {
                case 0..<6: micro = micro * 10 + d
                case 6: roundDigit = d
                default: if d != 0 { sticky = true }
                }
                i += 1
            }
            let count = i - start
            guard count > 0, form != .rfc3339 || count <= 9 else { return nil }
            for _ in 0..<max(0, 6 - count) { micro *= 10 }
            if roundDigit > 5 || (roundDigit == 5 && (sticky || micro % 2 == 1)) { micro += 1 }
        }
        // Zone.
        var offset: Int64 = 0
        if i == n {
            guard form != .rfc3339 else { return nil }
        } else if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            let negative = b[i] == 45
            i += 1
            guard let oh = number(2), oh <= Int64(maximumOffsetHours) else { return nil }
            var om: Int64 = 0, os: Int64 = 0
            if form == .rfc3339 {
                guard expect(58), let m = number(2) else { return nil }
                om = m
            } else {
                if expect(58) { guard let m = number(2) else { return nil }; om = m }
                else if let m = number(2) { om = m }
                if expect(58) { guard let s = number(2) else { return nil }; os = s }
            }
            guard om <= 59, os <= 59 else { return nil }
            offset = (oh * 3600 + om * 60 + os) * (negative ? -1 : 1)
        } else {
            return nil
        }
        guard i == n else { return nil }
        let whole = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Parsed(wholeSeconds: whole, fraction: fraction, microseconds: whole * 1_000_000 + micro)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` in UTC from microseconds (the fraction only when not zero).
    public static func format(microseconds m: Int64) -> String {
        let (seconds, micro) = floorDivide(m, 1_000_000)
        return format(wholeSeconds: seconds, fraction: micro, digits: micro == 0 ? 0 : 6)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC, always six fraction digits (PostgreSQL's resolution).
    public static func formatMicroseconds(_ m: Int64) -> String {
        let (seconds, micro) = floorDivide(m, 1_000_000)
        return format(wholeSeconds: seconds, fraction: micro, digits: 6)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, milliseconds rounded down.
    public static func format(secondsSince1970 t: Double) -> String {
        let (seconds, ms) = floorDivide(Int64((t * 1000).rounded(.down)), 1000)
        return format(wholeSeconds: seconds, fraction: ms, digits: 3)
    }

    private static func format(wholeSeconds: Int64, fraction: Int64, digits: Int) -> String {
        let (days, secondOfDay) = floorDivide(wholeSeconds, 86_400)
        let (y, mo, d) = CivilDate.date(days: days)
        var bytes = [UInt8](repeating: 0, count: 20 + (digits > 0 ? digits + 1 : 0))
        func put(_ v: Int64, _ at: Int, _ width: Int) {
            var v = v
            for k in stride(from: at + width - 1, through: at, by: -1) { bytes[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(y, 0, 4); bytes[4] = 45; put(mo, 5, 2); bytes[7] = 45; put(d, 8, 2); bytes[10] = 84
        put(secondOfDay / 3600, 11, 2); bytes[13] = 58; put(secondOfDay / 60 % 60, 14, 2); bytes[16] = 58
        put(secondOfDay % 60, 17, 2)
        if digits > 0 { bytes[19] = 46; put(fraction, 20, digits) }
        bytes[bytes.count - 1] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Quotient rounded toward negative infinity and the matching non-negative remainder.
    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }
}
