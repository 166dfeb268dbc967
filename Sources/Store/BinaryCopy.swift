import Foundation

/// Encodes rows in PostgreSQL's binary COPY format (`COPY t FROM STDIN (FORMAT binary)`).
///
/// Write the header once with ``init()``, then for each row call ``beginRow(fieldCount:)`` and one
/// `append` per field in column order, and finish with ``finish()``. Field encodings follow the
/// server's `*send` functions: big-endian integers, IEEE doubles, timestamps as microseconds
/// since 2000-01-01 UTC, jsonb with a version byte, one-dimensional arrays with a header.
public struct BinaryCopyEncoder {
    /// The encoded bytes so far; hand them to ``CopyInWriter/write(_:)-(UnsafeRawBufferPointer)`` and call
    /// ``removeAll()`` to stream large loads.
    public private(set) var bytes: [UInt8] = []

    /// Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01 (UTC).
    static let postgresEpochOffset: Int64 = 946_684_800 * 1_000_000

    public init() {
        bytes.append(contentsOf: Array("PGCOPY\n".utf8))
        bytes.append(contentsOf: [0xFF, 0x0D, 0x0A, 0x00])
        appendInteger(Int32(0))  // flags
        appendInteger(Int32(0))  // header extension length
    }

    /// Empties the buffer after its bytes have been sent.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Starts a row of `fieldCount` fields.
    public mutating func beginRow(fieldCount: Int) { appendInteger(Int16(fieldCount)) }

    /// The file trailer.
    public mutating func finish() { appendInteger(Int16(-1)) }

    public mutating func appendNull() { appendInteger(Int32(-1)) }

    /// bigint (int8).
    public mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(8)); appendInteger(value)
    }

    /// integer (int4).
    public mutating func append(_ value: Int32?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(4)); appendInteger(value)
    }

    /// double precision (float8).
    public mutating func append(_ value: Double?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(8)); appendInteger(value.bitPattern)
    }

    /// boolean.
    public mutating func append(_ value: Bool?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(1)); bytes.append(value ? 1 : 0)
    }

    /// text / varchar.
    public mutating func append(_ value: String?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(value.utf8.count)); bytes.append(contentsOf: value.utf8)
    }

    /// timestamptz.
    public mutating func append(_ value: Date?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(8))
        appendInteger(PostgresText.microsecondsSinceEpoch(value) - Self.postgresEpochOffset)
    }

    /// uuid.
    public mutating func append(_ value: UUID?) {
        guard let value else { return appendNull() }
        appendInteger(Int32(16))
        withUnsafeBytes(of: value.uuid) { bytes.append(contentsOf: $0) }
    }

    /// jsonb from JSON text (the server validates it).
    public mutating func appendJSONB(_ json: String?) {
        guard let json else { return appendNull() }
        appendInteger(Int32(json.utf8.count + 1)); bytes.append(1); bytes.append(contentsOf: json.utf8)
    }

    /// text[] (one dimension, no NULL elements).
    public mutating func append(_ value: [String]?) {
        guard let value else { return appendNull() }
        let payload = 20 + value.reduce(0) { $0 + 4 + $1.utf8.count }
        appendInteger(Int32(payload))
        appendInteger(Int32(1))      // dimensions
        appendInteger(Int32(0))      // has NULLs
        appendInteger(UInt32(25))    // element type: text
        appendInteger(Int32(value.count))
        appendInteger(Int32(1))      // lower bound
        for item in value {
            appendInteger(Int32(item.utf8.count)); bytes.append(contentsOf: item.utf8)
        }
    }

    private mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// One row of binary COPY output; fields are decoded by the type the caller knows the column has.
public struct BinaryCopyRow {
    fileprivate let base: UnsafeRawPointer
    fileprivate let offsets: [Int]   // start of each field's payload, -1 for NULL
    fileprivate let lengths: [Int]

    public var count: Int { offsets.count }

    public func isNull(_ i: Int) -> Bool { offsets[i] < 0 }

    private func integer<T: FixedWidthInteger>(_ i: Int, _ type: T.Type) throws -> T? {
        guard offsets[i] >= 0 else { return nil }
        guard lengths[i] == MemoryLayout<T>.size else {
            throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) has \(lengths[i]) bytes, expected \(MemoryLayout<T>.size) for \(T.self)")
        }
        return T(bigEndian: base.loadUnaligned(fromByteOffset: offsets[i], as: T.self))
    }

    /// int2, int4 or int8 as Int.
    public func int(_ i: Int) throws -> Int? {
        guard offsets[i] >= 0 else { return nil }
        switch lengths[i] {
        case 2: return try integer(i, Int16.self).map(Int.init)
        case 4: return try integer(i, Int32.self).map(Int.init)
        case 8: return try integer(i, Int64.self).map(Int.init)
        default: throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) (\(lengths[i]) bytes) is not an integer")
        }
    }

    /// float8 (or float4, widened).
    public func double(_ i: Int) throws -> Double? {
        guard offsets[i] >= 0 else { return nil }
        switch lengths[i] {
        case 8: return try integer(i, UInt64.self).map(Double.init(bitPattern:))
        case 4: return try integer(i, UInt32.self).map { Double(Float(bitPattern: $0)) }
        default: throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) (\(lengths[i]) bytes) is not a float")
        }
    }

    public func bool(_ i: Int) throws -> Bool? {
        try integer(i, UInt8.self).map { $0 != 0 }
    }

    /// The field's payload bytes, nil for NULL; valid only inside the row callback. For
    /// callers that intern text without making a `String` per cell.
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer? {
        guard offsets[i] >= 0 else { return nil }
        return UnsafeRawBufferPointer(start: base + offsets[i], count: lengths[i])
    }

    /// text, varchar, name, or json (raw UTF-8).
    public func string(_ i: Int) -> String? {
        guard offsets[i] >= 0 else { return nil }
        let buffer = UnsafeRawBufferPointer(start: base + offsets[i], count: lengths[i])
        return String(decoding: buffer, as: UTF8.self)
    }

    /// jsonb: the JSON text after the version byte.
    public func jsonb(_ i: Int) throws -> String? {
        guard offsets[i] >= 0 else { return nil }
        guard lengths[i] >= 1, base.load(fromByteOffset: offsets[i], as: UInt8.self) == 1 else {
            throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) is not jsonb version 1")
        }
        let buffer = UnsafeRawBufferPointer(start: base + offsets[i] + 1, count: lengths[i] - 1)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// timestamptz / timestamp.
    public func date(_ i: Int) throws -> Date? {
        try integer(i, Int64.self).map { PostgresText.date(microsecondsSinceEpoch: $0 + BinaryCopyEncoder.postgresEpochOffset) }
    }

    public func uuid(_ i: Int) throws -> UUID? {
        guard offsets[i] >= 0 else { return nil }
        guard lengths[i] == 16 else { throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) is not a uuid") }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + offsets[i], count: 16)) }
        return UUID(uuid: raw)
    }

    /// numeric, converted to the nearest Double (NaN and ±Infinity included).
    public func numeric(_ i: Int) throws -> Double? {
        guard offsets[i] >= 0 else { return nil }
        guard lengths[i] >= 8 else { throw StoreError(code: .decodingFailed, message: "binary COPY field \(i) is not numeric") }
        let ndigits = Int(Int16(bigEndian: base.loadUnaligned(fromByteOffset: offsets[i], as: Int16.self)))
        let weight = Int(Int16(bigEndian: base.loadUnaligned(fromByteOffset: offsets[i] + 2, as: Int16.self)))
        let sign = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offsets[i] + 4, as: UInt16.self))
        switch sign {
        case 0xC000: return .nan
        case 0xD000: return .infinity
        case 0xF000: return -.infinity
        default: break
        }
        // Build the decimal text and let the correctly rounded parser do the conversion.
        var text = sign == 0x4000 ? "-0." : "0."
        for d in 0..<ndigits {
            let digit = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offsets[i] + 8 + 2 * d, as: UInt16.self))
            let s = String(digit)
            text += String(repeating: "0", count: 4 - s.count) + s
        }
        text += "e\((weight + 1) * 4)"
        return ndigits == 0 ? 0 : Double(text)
    }

    /// text[] (one dimension; NULL elements are nil).
    public func stringArray(_ i: Int) throws -> [String?]? {
        guard offsets[i] >= 0 else { return nil }
        var p = offsets[i]
        func next() -> Int32 {
            defer { p += 4 }
            return Int32(bigEndian: base.loadUnaligned(fromByteOffset: p, as: Int32.self))
        }
        let dims = next(); _ = next(); _ = next()
        if dims == 0 { return [] }
        guard dims == 1 else { throw StoreError(code: .decodingFailed, message: "binary COPY field \(i): only one-dimensional arrays are supported") }
        let count = Int(next()); _ = next()
        var out: [String?] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let len = Int(next())
            if len < 0 { out.append(nil); continue }
            out.append(String(decoding: UnsafeRawBufferPointer(start: base + p, count: len), as: UTF8.self))
            p += len
        }
        return out
    }
}

/// Splits a binary COPY stream (header, tuples, trailer) into rows, whatever the chunking.
public struct BinaryCopyDecoder {
    private var pending: [UInt8] = []
    private var headerRead = false
    public private(set) var finished = false
    public private(set) var rowsDecoded = 0

    public init() {}

    /// Feeds a chunk and calls `row` for each complete tuple in it.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ row: (BinaryCopyRow) throws -> Void) throws {
        pending.append(contentsOf: chunk)
        var consumed = 0
        try pending.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            let total = buffer.count
            func int32(at o: Int) -> Int { Int(Int32(bigEndian: base.loadUnaligned(fromByteOffset: o, as: Int32.self))) }
            func int16(at o: Int) -> Int { Int(Int16(bigEndian: base.loadUnaligned(fromByteOffset: o, as: Int16.self))) }
            if !headerRead {
                guard total >= 19 else { return }
                let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
                guard Array(buffer[0..<11]) == signature else {
                    throw StoreError(code: .decodingFailed, message: "the COPY output is not in binary format (signature missing)")
                }
                let extensionLength = int32(at: 15)
                guard total >= 19 + extensionLength else { return }
                consumed = 19 + extensionLength
                headerRead = true
            }
            var offsets: [Int] = [], lengths: [Int] = []
            while !finished, consumed + 2 <= total {
                let fields = int16(at: consumed)
                if fields == -1 { finished = true; consumed += 2; break }
                var p = consumed + 2
                offsets.removeAll(keepingCapacity: true); lengths.removeAll(keepingCapacity: true)
                var complete = true
                for _ in 0..<fields {
                    guard p + 4 <= total else { complete = false; break }
                    let len = int32(at: p)
                    p += 4
                    if len < 0 { offsets.append(-1); lengths.append(0); continue }
                    guard p + len <= total else { complete = false; break }
                    offsets.append(p); lengths.append(len)
                    p += len
                }
                guard complete else { break }
                try row(BinaryCopyRow(base: base, offsets: offsets, lengths: lengths))
                rowsDecoded += 1
                consumed = p
            }
        }
        pending.removeFirst(consumed)
    }
}

extension Connection {
    /// Runs `COPY (query) TO STDOUT (FORMAT binary)` and calls `row` for each tuple — the fast
    /// path for bulk numeric reads (no text parsing).
    /// - Returns: the number of rows read.
    @discardableResult
    public func copyOutBinary(query: String, _ row: (BinaryCopyRow) throws -> Void) throws -> Int {
        var decoder = BinaryCopyDecoder()
        try copyOut("COPY (\(query)) TO STDOUT (FORMAT binary)") { chunk in
            try decoder.feed(chunk, row)
        }
        guard decoder.finished else {
            throw StoreError(code: .copyFailed, message: "binary COPY ended without its trailer after \(decoder.rowsDecoded) rows")
        }
        return decoder.rowsDecoded
    }
}
