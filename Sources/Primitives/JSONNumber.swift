/// The JSON number grammar (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
/// One scanner for every place that reads or checks a number token, so they agree on what a
/// number is.
public enum JSONNumber {
    /// What a scan found: where the token ends and the parts callers check.
    public struct Token: Equatable, Sendable {
        /// Index just past the token.
        public var end: Int
        /// Digits after the decimal point (0 without a fraction).
        public var fractionDigits: Int
        /// True when every digit after the decimal point is 0 (or there is none).
        public var fractionIsZero: Bool
        /// Whether an exponent part is present.
        public var hasExponent: Bool
        /// The exponent's value, its magnitude clamped at 2^40 (only its size matters).
        public var exponent: Int

        @inlinable
        public init(end: Int, fractionDigits: Int, fractionIsZero: Bool, hasExponent: Bool, exponent: Int) {
            self.end = end
            self.fractionDigits = fractionDigits
            self.fractionIsZero = fractionIsZero
            self.hasExponent = hasExponent
            self.exponent = exponent
        }
    }

    /// Where a number token stops being valid (`-`, `1.`, `1e`, `.5`, `+5`, `-x`).
    public struct Malformed: Error, Equatable, Sendable {
        /// Index of the byte that cannot continue the number (the end when the text ran out).
        public var offset: Int

        @inlinable
        public init(offset: Int) { self.offset = offset }
    }

    /// Scans the longest number token starting at `start` (a leading zero ends the integer part,
    /// so `01` scans as `0`); throws where the bytes there do not make a valid number.
    @inlinable
    public static func scan<C: RandomAccessCollection>(_ b: C, from start: C.Index) throws(Malformed) -> Token
    where C.Element == UInt8, C.Index == Int {
        var i = start
        let n = b.endIndex
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        if i < n, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n else { throw Malformed(offset: i) }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else if b[i] >= UInt8(ascii: "1") && b[i] <= UInt8(ascii: "9") {
            while i < n, isDigit(b[i]) { i += 1 }
        } else {
            throw Malformed(offset: i)
        }
        var token = Token(end: i, fractionDigits: 0, fractionIsZero: true, hasExponent: false, exponent: 0)
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            let digits = i
            while i < n, isDigit(b[i]) {
                if b[i] != UInt8(ascii: "0") { token.fractionIsZero = false }
                i += 1
            }
            guard i > digits else { throw Malformed(offset: i) }
            token.fractionDigits = i - digits
        }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var negative = false
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                negative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            let digits = i
            var e = 0
            while i < n, isDigit(b[i]) {
                e = min(e * 10 + Int(b[i] - 48), 1 << 40)
                i += 1
            }
            guard i > digits else { throw Malformed(offset: i) }
            token.hasExponent = true
            token.exponent = negative ? -e : e
        }
        token.end = i
        return token
    }

    /// The token when all of `text` is exactly one JSON number, else nil.
    public static func whole(_ text: String) -> Token? {
        let bytes = Array(text.utf8)
        guard let token = try? scan(bytes, from: 0), token.end == bytes.count else { return nil }
        return token
    }
}
