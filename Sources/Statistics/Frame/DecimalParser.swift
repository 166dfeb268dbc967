/// Numbers read straight from UTF-8 bytes, without a `String` per cell.
///
/// The grammar is the decimal one of data files: `[+-]? (digits [. digits?] | . digits)
/// ([eE] [+-]? digits)?`, nothing before or after (the caller trims spaces). Hexadecimal
/// (`0x10`, `0x1p3`), `inf`, `infinity`, `nan` and any byte outside the grammar (a NUL, a
/// thousands separator) are refused with nil, so a cell like `12\0` is never read as 12.
///
/// Accuracy: correctly rounded (round to nearest, ties to even), the same double
/// `Double(String)` gives for the same decimal text. Values whose significand has at most 15
/// digits and exponent within ±22 are computed exactly in one IEEE operation (Clinger's fast
/// path: both operands are exact doubles, so one rounding); up to 19 digits within ±22 (17-digit
/// data) by one 80-bit extended operation, unless its result is a double midpoint (see
/// `extendedPath`); everything else (more digits, subnormals, huge exponents) goes to the standard
/// library's `Double(String)` (which calls the
/// C library's correctly rounded `strtod` in the C locale). Overflow gives ±infinity and underflow ±0, as
/// `strtod` does; callers that need finite numbers check.
public enum DecimalParser {
    /// Exact powers of ten representable as doubles.
    private static let powersOfTen: [Double] = (0...22).map { k in
        var v = 1.0
        for _ in 0..<k { v *= 10 }
        return v
    }

    /// A decimal number spelled by `bytes[0..<count]`, correctly rounded; nil if the bytes are not
    /// exactly a decimal number.
    @inlinable
    public static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let base = bytes.baseAddress else { return nil }
        return double(base, bytes.count)
    }

    /// A decimal number spelled by `p[0..<count]`; see ``DecimalParser``.
    public static func double(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
        var i = 0
        var negative = false
        if i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-"); i += 1
        }
        var significand: UInt64 = 0
        var significantDigits = 0     // digits accumulated into `significand` (leading zeros excluded)
        var digitsSeen = 0            // all mantissa digits
        var exponent = 0              // decimal exponent adjustment for the accumulated digits
        var truncated = false         // a non-zero digit did not fit in `significand`
        while i < count {
            if significand != 0, significantDigits <= 11, let eight = eightDigits(p, i, count) {
                significand = significand &* 100_000_000 &+ eight
                significantDigits += 8; digitsSeen += 8; i += 8
                continue
            }
            let d = UInt64(p[i] &- 48)
            guard d < 10 else { break }
            if significantDigits < 19 {
                if significand != 0 || d != 0 { significand = significand &* 10 &+ d; significantDigits += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            digitsSeen += 1; i += 1
        }
        if i < count, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < count {
                if significand != 0, significantDigits <= 11, let eight = eightDigits(p, i, count) {
                    significand = significand &* 100_000_000 &+ eight
                    significantDigits += 8; digitsSeen += 8; exponent -= 8; i += 8
                    continue
                }
                let d = UInt64(p[i] &- 48)
                guard d < 10 else { break }
                if significantDigits < 19 {
                    if significand != 0 || d != 0 { significand = significand &* 10 &+ d; significantDigits += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                digitsSeen += 1; i += 1
            }
        }
        guard digitsSeen > 0 else { return nil }
        if i < count, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                expNegative = p[i] == UInt8(ascii: "-"); i += 1
            }
            var e = 0, expDigits = 0
            while i < count, p[i] &- 48 < 10 {
                if e < 100_000_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1; i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == count else { return nil }
        if significand == 0 { return negative ? -0.0 : 0.0 }
        if !truncated, significand <= (1 << 53), exponent >= -22, exponent <= 22 {
            let m = Double(significand)
            let v = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -v : v
        }
        #if arch(x86_64) && !os(Windows)
        if !truncated, exponent >= -22, exponent <= 22, let v = extendedPath(significand, exponent) {
            return negative ? -v : v
        }
        #endif
        return libraryParse(p, count)
    }

    /// The value of the eight ASCII digits at `p[i..<i+8]`, or nil if fewer than eight bytes
    /// remain or any of them is not a digit. One 64-bit load and three multiplies instead of
    /// eight branchy steps: data files print 15–17 significant digits, so most of a number's
    /// digits go through here. (The digit test and the pairwise combination are the standard
    /// SWAR formulas: bytes 0x30–0x39 have high nibble 3 and stay below 0x3A after adding 6.)
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> UInt64? {
        #if _endian(little)
        guard i + 8 <= count else { return nil }
        let v = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (v & high) | (((v &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333 else { return nil }
        var d = v &- 0x3030_3030_3030_3030            // eight digits, the first in the lowest byte
        d = (d &* 10) &+ (d >> 8)                      // pairs: byte 2k holds digits 2k,2k+1 as 0…99
        let pairs: UInt64 = 0x0000_00FF_0000_00FF
        // quads: (p0·100 + p1) and (p2·100 + p3) in the two 32-bit halves, then combined ·10⁴
        return (((d & pairs) &* (100 + (1_000_000 << 32))) &+ (((d >> 16) & pairs) &* (1 + (10_000 << 32)))) >> 32
        #else
        return nil
        #endif
    }

    #if arch(x86_64) && !os(Windows)
    /// Exact powers of ten as 80-bit extended values (10^k = 2^k · 5^k and 5^22 < 2^64).
    private static let extendedPowersOfTen: [Float80] = (0...22).map { k in
        var v: Float80 = 1
        for _ in 0..<k { v *= 10 }
        return v
    }

    /// Up to 19 significant digits with |exponent| ≤ 22 (17-digit data): the significand and the
    /// power of ten are exact in the 64-bit significand of Float80, so one extended operation
    /// rounds once; rounding that to double is the correctly rounded double unless the extended
    /// result sits exactly on a midpoint between two doubles (its 11 low bits `100 0000 0000`),
    /// the one case where double rounding can differ — nil then, and the caller falls back.
    @inline(__always)
    private static func extendedPath(_ significand: UInt64, _ exponent: Int) -> Double? {
        let m = Float80(significand)
        let y = exponent >= 0 ? m * extendedPowersOfTen[exponent] : m / extendedPowersOfTen[-exponent]
        if y.significandBitPattern & 0x7FF == 0x400 { return nil }
        return Double(y)
    }
    #endif

    /// The standard library's correctly rounded conversion (the grammar has already been
    /// checked, so only decimal text reaches it: never hexadecimal, `inf` or `nan`).
    private static func libraryParse(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double {
        Double(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)) ?? .nan
    }

    /// A decimal integer `[+-]? digits` that fits in Int64; nil otherwise (including overflow).
    public static func int64(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int64? {
        var i = 0
        var negative = false
        if i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
            negative = p[i] == UInt8(ascii: "-"); i += 1
        }
        guard i < count else { return nil }
        var magnitude: UInt64 = 0
        while i < count {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            magnitude = s; i += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// A decimal number in a Swift string (see ``double(_:_:)``).
    public static func double(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { double($0) }
    }
}
