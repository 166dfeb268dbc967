import Dispatch
import Foundation

extension DataFrame {
    /// Reads CSV text with a header row (see ``init(csvBytes:types:threads:)``).
    public init(csv text: String, types: [String: ColumnType] = [:]) throws {
        var text = text
        self = try text.withUTF8 { try DataFrame(csvBytes: $0, types: types) }
    }

    /// Reads CSV bytes (UTF-8, RFC 4180: quotes, doubled quotes, embedded newlines, CRLF; a
    /// leading UTF-8 byte-order mark is skipped) straight into typed columns.
    ///
    /// Types are inferred from the first 1,000 records — `int64` if every value is an integer,
    /// else `float64` if every value is a decimal number, else `timestamp` if every value is a
    /// timestamp (RFC 3339, PostgreSQL's form, or `2013-12-02 21:15:00` and `1949-01` read as
    /// UTC), else `categorical` — and widened safely when a later record disagrees (the file is
    /// parsed again with the wider type; at most three passes). `types` fixes a column's type
    /// instead (a value that does not fit is then an error): `float64`, `int64`, `bool`,
    /// `timestamp`, `categorical` or `text`.
    /// Missing values: empty, `NA`, `NaN`, `null` in any case, spaces around a value ignored.
    ///
    /// Files over 4 MiB are split at record boundaries that are safe with quotes and parsed on
    /// `threads` cores (default: every active processor).
    ///
    /// - Throws: ``NumericsError/Code/invalidData`` naming the physical line (and the column or
    ///   byte) for ragged records, an unclosed quote, a duplicated header, invalid UTF-8, or a
    ///   value that does not fit a requested type; ``NumericsError/Code/unknownColumn`` for a
    ///   type given for a column that is not in the header.
    public init(csvBytes bytes: UnsafeBufferPointer<UInt8>, types: [String: ColumnType] = [:], threads: Int? = nil) throws {
        self = try CSVReader(bytes: bytes, types: types, threads: threads ?? CSVReader.processorCount).read()
    }
}

/// The chunked, typed CSV reader behind ``DataFrame/init(csvBytes:types:threads:)``.
struct CSVReader {
    static var processorCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
    static let sampleRecords = 1_000
    let bytes: UnsafeBufferPointer<UInt8>
    let types: [String: ColumnType]
    let threads: Int
    /// Inputs this large or larger are split into chunks, one per thread.
    var parallelThreshold = 4 << 20

    func read() throws -> DataFrame {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let header: [String], dataStart: Int
        do {
            (header, dataStart) = try headerFields(from: start)
        } catch let failure as CSVChunkParser.Failure {
            throw describe(failure, columns: 0)
        }
        guard !header.isEmpty else { throw NumericsError(.invalidData, "CSV: the file is empty") }
        let names = header.map { $0.trimmedSpaces }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw NumericsError(.invalidData, "CSV: the header names column '\(name)' twice; a formula could not tell them apart")
        }
        for (name, type) in types.sorted(by: { $0.key < $1.key }) {
            guard names.contains(name) else {
                throw NumericsError(.unknownColumn, "column '\(name)', which is not in the header; the columns are: \(names.joined(separator: ", "))")
            }
        }
        var columnTypes = names.map { types[$0] ?? .int64 }
        let fixed = names.map { types[$0] != nil }
        let data = dataStart..<bytes.count

        // infer from a sample, widening until it fits
        for _ in 0..<4 {
            var builders = makeBuilders(columnTypes, fixed, capacity: Self.sampleRecords)
            do {
                try CSVChunkParser.parse(bytes, data, into: &builders, maxRecords: Self.sampleRecords)
            } catch let failure as CSVChunkParser.Failure {
                throw describe(failure, columns: names.count)
            }
            guard widen(&columnTypes, builders) else { break }
        }

        let parts = bytes.count >= parallelThreshold ? threads : 1
        let points = CSVChunkParser.splitPoints(bytes, data, parts: parts)
        for _ in 0..<4 {
            var chunks = try parseChunks(points, columnTypes, fixed, names: names)
            if widen(&columnTypes, chunks.flatMap { $0 }) { continue }
            // Column by column, each chunk's builder is moved out before merging, so its storage
            // is freed as soon as the merged column exists: peak memory is the frame plus one
            // column, not two frames.
            var columns: [Column] = []
            columns.reserveCapacity(names.count)
            for c in names.indices {
                var parts: [ColumnBuilder] = []
                parts.reserveCapacity(chunks.count)
                for k in chunks.indices {
                    parts.append(chunks[k][c])
                    chunks[k][c] = ColumnBuilder(type: columnTypes[c], fixed: true, capacity: 0)
                }
                columns.append(Self.merge(name: names[c], parts))
            }
            return try DataFrame(columns: columns, rowNumberBase: 2)
        }
        throw NumericsError(.invalidData, "CSV: the column types did not settle after four passes")
    }

    private func makeBuilders(_ types: [ColumnType], _ fixed: [Bool], capacity: Int) -> [ColumnBuilder] {
        zip(types, fixed).map { ColumnBuilder(type: $0, fixed: $1, capacity: capacity) }
    }

    /// Applies the wider types the builders asked for (``ColumnBuilder/joined(_:_:)`` of the
    /// current type and each request); true if any changed.
    private func widen(_ types: inout [ColumnType], _ builders: [ColumnBuilder]) -> Bool {
        var changed = false
        let columns = types.count
        for (k, b) in builders.enumerated() {
            guard let wider = b.needs else { continue }
            let c = k % columns
            let joined = ColumnBuilder.joined(types[c], wider)
            if joined != types[c] { types[c] = joined; changed = true }
        }
        return changed
    }

    /// Parses every chunk (in parallel when there are several) and checks the builders' errors.
    private func parseChunks(_ points: [Int], _ types: [ColumnType], _ fixed: [Bool], names: [String]) throws -> [[ColumnBuilder]] {
        let count = points.count - 1
        let results = ChunkResults(count: count)
        let source = SendableBytes(bytes: bytes)
        let estimate = max(16, (points[1] - points[0]) / max(1, 4 * types.count))
        let work: @Sendable (Int) -> Void = { k in
            var builders = zip(types, fixed).map { ColumnBuilder(type: $0, fixed: $1, capacity: estimate) }
            do {
                try CSVChunkParser.parse(source.bytes, points[k]..<points[k + 1], into: &builders)
                results.set(k, .success(builders))
            } catch {
                results.set(k, .failure(error))
            }
        }
        if count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: count, execute: work) }
        var chunks: [[ColumnBuilder]] = []
        for result in results.take() {
            switch result {
            case .success(let builders): chunks.append(builders)
            case .failure(let failure as CSVChunkParser.Failure): throw describe(failure, columns: names.count)
            case .failure(let error): throw error
            }
        }
        // the first problem in file order
        var first: (offset: Int, error: NumericsError)?
        for builders in chunks {
            for (c, b) in builders.enumerated() {
                if let bad = b.badUTF8, first.map({ bad < $0.offset }) ?? true {
                    let (line, byte) = location(bad)
                    first = (bad, NumericsError(.invalidData, "CSV: line \(line), byte \(byte) (column '\(names[c])'): invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true))); save the file as UTF-8"))
                }
                if let misfit = b.misfit, first.map({ misfit.offset < $0.offset }) ?? true {
                    let (line, _) = location(misfit.offset)
                    first = (misfit.offset, NumericsError(.invalidData, "CSV: line \(line), column '\(names[c])': '\(misfit.text)' is not a \(b.type.rawValue) value, the type asked for this column"))
                }
            }
            if first != nil { break }
        }
        if let first { throw first.error }
        return chunks
    }

    /// One column from the chunks' builders of it, in order; categorical codes re-mapped onto
    /// one dictionary.
    static func merge(name: String, _ parts: [ColumnBuilder]) -> Column {
        let type = parts[0].type
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: [Bool]? = nil
        if parts.contains(where: \.anyMissing) {
            var v: [Bool] = []
            v.reserveCapacity(total)
            for p in parts { if p.anyMissing { v += p.validity } else { v += repeatElement(true, count: p.count) } }
            validity = v
        }
        func joined<T>(_ key: KeyPath<ColumnBuilder, [T]>) -> [T] {
            if parts.count == 1 { return parts[0][keyPath: key] }
            var out: [T] = []
            out.reserveCapacity(total)
            for p in parts { out += p[keyPath: key] }
            return out
        }
        switch type {
        case .float64: return Column(name: name, values: .float64(joined(\.doubles)), validity: validity)
        case .int64: return Column(name: name, values: .int64(joined(\.ints)), validity: validity)
        case .timestamp: return Column(name: name, values: .timestamp(joined(\.ints)), validity: validity)
        case .bool: return Column(name: name, values: .bool(joined(\.bools)), validity: validity)
        case .text: return Column(name: name, values: .text(joined(\.texts)), validity: validity)
        case .categorical:
            if parts.count == 1 { return Column(name: name, values: .categorical(codes: parts[0].codes, levels: parts[0].levels), validity: validity) }
            var levels = parts[0].levels
            var index = parts[0].levelIndex
            var codes: [Int32] = []
            codes.reserveCapacity(total)
            for p in parts {
                let map: [Int32] = p.levels.map { level in
                    if let code = index[level] { return code }
                    let code = Int32(levels.count)
                    levels.append(level); index[level] = code
                    return code
                }
                for c in p.codes { codes.append(c < 0 ? -1 : map[Int(c)]) }
            }
            return Column(name: name, values: .categorical(codes: codes, levels: levels), validity: validity)
        }
    }

    /// The header record's fields and the offset where the data begin; no fields for an empty file.
    private func headerFields(from start: Int) throws -> ([String], Int) {
        var i = start
        let end = bytes.count
        // blank lines before the header are skipped, as between records
        while i < end, bytes[i] == CSVChunkParser.lf || bytes[i] == CSVChunkParser.cr { i += 1 }
        guard i < end else { return ([], end) }
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false, opened = i
        while i < end {
            let c = bytes[i]
            if inQuotes {
                if c == CSVChunkParser.quote {
                    if i + 1 < end, bytes[i + 1] == CSVChunkParser.quote { field.append(c); i += 1 } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == CSVChunkParser.quote {
                inQuotes = true; opened = i
            } else if c == CSVChunkParser.comma {
                fields.append(try headerName(field, index: fields.count)); field.removeAll()
            } else if c == CSVChunkParser.lf || c == CSVChunkParser.cr {
                break
            } else {
                field.append(c)
            }
            i += 1
        }
        if inQuotes { throw CSVChunkParser.Failure.unclosedQuote(offset: opened) }
        fields.append(try headerName(field, index: fields.count))
        if i < end, bytes[i] == CSVChunkParser.cr, i + 1 < end, bytes[i + 1] == CSVChunkParser.lf { i += 2 } else if i < end { i += 1 }
        return (fields, i)
    }

    private func headerName(_ bytes: [UInt8], index: Int) throws -> String {
        guard let name = String(validating: bytes, as: UTF8.self) else {
            throw NumericsError(.invalidData, "CSV: line 1: the name of column \(index + 1) is not valid UTF-8; save the file as UTF-8")
        }
        return name
    }

    /// The physical line (1-based) holding byte `offset`, and the byte's position in that line
    /// (1-based). Lines end at LF, CRLF or a lone CR, inside quotes or not.
    func location(_ offset: Int) -> (line: Int, byte: Int) {
        var line = 1, lineStart = 0, i = 0
        let limit = min(offset, bytes.count)
        while i < limit {
            let c = bytes[i]
            if c == CSVChunkParser.lf || (c == CSVChunkParser.cr && !(i + 1 < bytes.count && bytes[i + 1] == CSVChunkParser.lf)) {
                line += 1; lineStart = i + 1
            }
            i += 1
        }
        return (line, offset - lineStart + 1)
    }

    private func describe(_ failure: CSVChunkParser.Failure, columns: Int) -> NumericsError {
        switch failure {
        case .ragged(let offset, let fields):
            return NumericsError(.invalidData, "CSV: line \(location(offset).line) has \(fields) fields, the header has \(columns)")
        case .unclosedQuote(let offset):
            return NumericsError(.invalidData, "CSV: the quoted field opened on line \(location(offset).line) is never closed")
        }
    }
}

/// The file's bytes, shared read-only by the chunk workers.
private struct SendableBytes: @unchecked Sendable { let bytes: UnsafeBufferPointer<UInt8> }

/// One slot per chunk, each written by exactly one worker.
private final class ChunkResults: @unchecked Sendable {
    private var slots: [Result<[ColumnBuilder], Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ value: Result<[ColumnBuilder], Error>) { lock.lock(); slots[k] = value; lock.unlock() }
    func take() -> [Result<[ColumnBuilder], Error>] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}
