import Primitives

/// Accumulates one column of one CSV chunk straight from field bytes.
///
/// A builder has a target type. A field that does not fit it (a word in an integer column)
/// does not stop the chunk: the builder records the wider type the column needs
/// (`int64 → float64 → categorical`, `int64 → timestamp → categorical`, `bool → categorical`;
/// see ``joined(_:_:)``), and the reader parses again with the wider types — at most three
/// passes, whatever the file.
struct ColumnBuilder {
    let type: ColumnType
    /// Whether the type was asked for (never widened: a misfit is an error).
    let fixed: Bool
    var doubles: [Double] = []
    /// int64 values, or timestamps as microseconds since 1970 UTC.
    var ints: [Int64] = []
    var bools: [Bool] = []
    var codes: [Int32] = []
    var levels: [String] = []
    var levelIndex: [String: Int32] = [:]
    var texts: [String] = []
    var validity: [Bool] = []
    var anyMissing = false
    /// The wider type a later pass must use, if a field did not fit.
    var needs: ColumnType?
    /// For a fixed type, the first field that did not fit: its byte offset and text.
    var misfit: (offset: Int, text: String)?
    /// The byte offset of the first field that is not valid UTF-8, and of the bad byte in it.
    var badUTF8: Int?

    init(type: ColumnType, fixed: Bool, capacity: Int) {
        self.type = type
        self.fixed = fixed
        switch type {
        case .float64: doubles.reserveCapacity(capacity)
        case .int64, .timestamp: ints.reserveCapacity(capacity)
        case .bool: bools.reserveCapacity(capacity)
        case .categorical: codes.reserveCapacity(capacity)
        case .text: texts.reserveCapacity(capacity)
        }
    }

    var count: Int { validity.isEmpty ? rows : validity.count }
    private(set) var rows = 0

    /// Appends the (already unquoted) field `p[0..<n]` that starts at byte `offset` of the file.
    mutating func append(_ start: UnsafePointer<UInt8>, _ length: Int, offset: Int) {
        var p = start, n = length
        // leading and trailing spaces and tabs are not part of a value
        while n > 0, p[0] == 0x20 || p[0] == 0x09 { p += 1; n -= 1 }
        while n > 0, p[n - 1] == 0x20 || p[n - 1] == 0x09 { n -= 1 }
        if Self.isMissingWord(p, n) { return appendMissing() }
        let offset = offset + (p - start)
        switch type {
        case .float64:
            if let v = DecimalParser.double(p, n), v.isFinite { doubles.append(v) } else { misfitted(p, n, offset, widen: .categorical); doubles.append(0) }
        case .int64:
            if let v = DecimalParser.int64(p, n) {
                ints.append(v)
            } else {
                let widen: ColumnType
                if DecimalParser.double(p, n).map({ $0.isFinite }) == true {
                    widen = .float64
                } else {
                    widen = Self.timestamp(p, n) != nil ? .timestamp : .categorical
                }
                misfitted(p, n, offset, widen: widen)
                ints.append(0)
            }
        case .timestamp:
            if let v = Self.timestamp(p, n) { ints.append(v) } else { misfitted(p, n, offset, widen: .categorical); ints.append(0) }
        case .bool:
            if let v = Self.boolWord(p, n) { bools.append(v) } else { misfitted(p, n, offset, widen: .categorical); bools.append(false) }
        case .categorical:
            guard let s = text(p, n, offset) else { codes.append(-1); break }
            if let code = levelIndex[s] {
                codes.append(code)
            } else {
                let code = Int32(levels.count)
                levels.append(s); levelIndex[s] = code; codes.append(code)
            }
        case .text:
            texts.append(text(p, n, offset) ?? "")
        }
        if anyMissing { validity.append(true) }
        rows += 1
    }

    private mutating func appendMissing() {
        if !anyMissing {
            anyMissing = true
            validity = [Bool](repeating: true, count: rows)
            validity.reserveCapacity(max(rows * 2, 16))
        }
        switch type {
        case .float64: doubles.append(0)
        case .int64, .timestamp: ints.append(0)
        case .bool: bools.append(false)
        case .categorical: codes.append(-1)
        case .text: texts.append("")
        }
        validity.append(false)
        rows += 1
    }

    private mutating func misfitted(_ p: UnsafePointer<UInt8>, _ n: Int, _ offset: Int, widen: ColumnType) {
        if fixed {
            if misfit == nil { misfit = (offset, String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)) }
            return
        }
        needs = needs.map { Self.joined($0, widen) } ?? widen
    }

    /// The narrowest type that holds values of both types: numbers widen to float64, an integer
    /// column meeting timestamps becomes timestamp (`2013` is the year in a timestamp column),
    /// and anything else that disagrees (float and timestamp, bool and anything) is categorical.
    static func joined(_ a: ColumnType, _ b: ColumnType) -> ColumnType {
        if a == b { return a }
        switch (a, b) {
        case (.int64, .float64), (.float64, .int64): return .float64
        case (.int64, .timestamp), (.timestamp, .int64): return .timestamp
        default: return .categorical
        }
    }

    /// A timestamp cell in any form a data file uses (RFC 3339, PostgreSQL's, or the local forms
    /// `2013-12-02 21:15:00`, `1949-01` read as UTC), as microseconds since 1970.
    @inline(__always) static func timestamp(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        TimestampText.microseconds(UnsafeBufferPointer(start: p, count: n), form: .local)
    }

    /// The field as a String, or nil (recorded) when it is not valid UTF-8.
    private mutating func text(_ p: UnsafePointer<UInt8>, _ n: Int, _ offset: Int) -> String? {
        let bytes = UnsafeBufferPointer(start: p, count: n)
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        if badUTF8 == nil {
            // the start of the first sequence that does not decode
            var iterator = bytes.makeIterator(), decoder = UTF8(), good = 0
            decoding: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): good += UTF8.width(scalar)
                case .emptyInput, .error: break decoding
                }
            }
            badUTF8 = offset + good
        }
        return nil
    }

    /// `""`, `NA`, `NaN`, `null` in any case: the missing-value words.
    @inline(__always) static func isMissingWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        switch n {
        case 0: return true
        case 2: return p[0] | 0x20 == 0x6E && p[1] | 0x20 == 0x61                                    // na
        case 3: return p[0] | 0x20 == 0x6E && p[1] | 0x20 == 0x61 && p[2] | 0x20 == 0x6E            // nan
        case 4: return p[0] | 0x20 == 0x6E && p[1] | 0x20 == 0x75 && p[2] | 0x20 == 0x6C && p[3] | 0x20 == 0x6C // null
        default: return false
        }
    }

    /// true/false, yes/no, 1/0 in any case.
    static func boolWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
        let word = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).lowercased()
        switch word {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: return nil
        }
    }
}
