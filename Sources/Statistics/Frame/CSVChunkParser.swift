/// RFC 4180 records of one chunk of a CSV file, fed field by field into column builders.
///
/// Quotes may open anywhere in a field and `""` inside quotes is one quote (as the reader has
/// always done); a record ends at LF, CRLF or a lone CR outside quotes; a blank line is skipped.
/// Unquoted fields are handed over in place; only fields holding quotes are copied, to undo
/// the quoting. Errors carry byte offsets, turned into line numbers by ``CSVReader``.
struct CSVChunkParser {
    enum Failure: Error {
        /// The record starting at `offset` has `fields` fields (more than expected when `fields` > columns).
        case ragged(offset: Int, fields: Int)
        /// The quote at `offset` is never closed.
        case unclosedQuote(offset: Int)
    }

    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Parses the records in `bytes[range]` (which starts at a record boundary) into `builders`.
    /// `onRecord` (if given) is called after each record with its field values; used for the
    /// header only. Returns the number of records.
    @discardableResult
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into builders: inout [ColumnBuilder],
                      maxRecords: Int = .max) throws -> (records: Int, end: Int) {
        guard let p = bytes.baseAddress else { return (0, range.lowerBound) }
        let columns = builders.count
        var scratch: [UInt8] = []
        var i = range.lowerBound
        let end = range.upperBound
        var records = 0
        while i < end, records < maxRecords {
            // a blank line is no record
            if p[i] == lf || p[i] == cr {
                i += (p[i] == cr && i + 1 < end && p[i + 1] == lf) ? 2 : 1
                continue
            }
            let recordStart = i
            var field = 0
            while true {
                // one field: the fast scan stops at a delimiter or a quote
                let fieldStart = i
                var j = nextDelimiterOrQuote(p, i, end)
                var fieldPointer = p + fieldStart
                var fieldLength = j - fieldStart
                if j < end, p[j] == quote {
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + fieldStart, count: j - fieldStart))
                    var inQuotes = true
                    var opened = j
                    j += 1
                    while j < end {
                        let c = p[j]
                        if inQuotes {
                            if c == quote {
                                if j + 1 < end, p[j + 1] == quote { scratch.append(quote); j += 2 } else { inQuotes = false; j += 1 }
                            } else {
                                scratch.append(c); j += 1
                            }
                        } else if c == quote {
                            inQuotes = true; opened = j; j += 1
                        } else if c == comma || c == lf || c == cr {
                            break
                        } else {
                            scratch.append(c); j += 1
                        }
                    }
                    if inQuotes { throw Failure.unclosedQuote(offset: opened) }
                    let atEnd = j >= end || p[j] != comma
                    if field == 0, atEnd, scratch.isEmpty {
                        // a line holding only `""` is a blank line
                        i = skipTerminator(p, j, end); break
                    }
                    guard field < columns else { throw Failure.ragged(offset: recordStart, fields: field + 1) }
                    scratch.withUnsafeBufferPointer { buffer in
                        builders[field].append(buffer.baseAddress ?? fieldPointer, buffer.count, offset: fieldStart)
                    }
                    fieldPointer = p; fieldLength = -1
                } else {
                    guard field < columns else { throw Failure.ragged(offset: recordStart, fields: field + 1) }
                    builders[field].append(fieldPointer, fieldLength, offset: fieldStart)
                }
                field += 1
                if j < end, p[j] == comma {
                    i = j + 1
                    if i >= end {
                        // a trailing comma at the end of the data: one more, empty, field
                        guard field < columns else { throw Failure.ragged(offset: recordStart, fields: field + 1) }
                        builders[field].append(p, 0, offset: i)
                        field += 1
                        break
                    }
                    continue
                }
                i = skipTerminator(p, j, end)
                break
            }
            if field == 0 { continue }
            guard field == columns else { throw Failure.ragged(offset: recordStart, fields: field) }
            records += 1
        }
        return (records, i)
    }

    /// The offset of the first comma, LF, CR or quote in `p[j..<end]` (`end` if none), eight
    /// bytes per step: a byte equal to `c` is a zero byte of `v ^ c·0x0101…`, and
    /// `(x − 0x0101…) & ~x & 0x8080…` sets the high bit of the lowest zero byte of `x` exactly
    /// (bytes above it may be marked by the borrow, which the lowest-bit search ignores).
    @inline(__always)
    static func nextDelimiterOrQuote(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var j = start
        #if _endian(little)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        while j + 8 <= end {
            let v = UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)
            let hits = zeroBytes(v ^ (ones &* UInt64(comma))) | zeroBytes(v ^ (ones &* UInt64(lf)))
                | zeroBytes(v ^ (ones &* UInt64(cr))) | zeroBytes(v ^ (ones &* UInt64(quote)))
            if hits != 0 { return j + (hits.trailingZeroBitCount >> 3) }
            j += 8
        }
        #endif
        while j < end {
            let c = p[j]
            if c == comma || c == lf || c == cr || c == quote { break }
            j += 1
        }
        return j
    }

    /// The offset after the record terminator at `j` (LF, CRLF or CR), or `j` at the end.
    @inline(__always)
    static func skipTerminator(_ p: UnsafePointer<UInt8>, _ j: Int, _ end: Int) -> Int {
        guard j < end else { return j }
        return (p[j] == cr && j + 1 < end && p[j + 1] == lf) ? j + 2 : j + 1
    }

    /// Record boundaries splitting `bytes[range]` into about `parts` pieces, each starting at a
    /// record: a quote-parity count up to each candidate tells whether it lies inside a quoted
    /// field (every quote byte toggles the state, `""` twice), then the split moves on to just
    /// after the next line end outside quotes.
    static func splitPoints(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, parts: Int) -> [Int] {
        guard let p = bytes.baseAddress, parts > 1 else { return [range.lowerBound, range.upperBound] }
        var points = [range.lowerBound]
        var inQuotes = false
        var position = range.lowerBound
        let size = range.count / parts
        for k in 1..<parts {
            let candidate = max(range.lowerBound + k * size, points.last ?? 0)
            while position < candidate {
                if p[position] == quote { inQuotes.toggle() }
                position += 1
            }
            while position < range.upperBound {
                let c = p[position]
                if c == quote { inQuotes.toggle() } else if !inQuotes, c == lf || c == cr { break }
                position += 1
            }
            position = skipTerminator(p, position, range.upperBound)
            if position < range.upperBound, position > points.last ?? 0 { points.append(position) }
        }
        points.append(range.upperBound)
        return points
    }
}
