import CLibPQ
import Foundation
import Primitives

/// Feeds COPY … FROM STDIN. Buffers writes and hands the server chunks of ``chunkSize`` bytes.
public final class CopyInWriter {
    private let handle: OpaquePointer
    private var buffer: [UInt8] = []
    /// Bytes per `PQputCopyData` call.
    public let chunkSize: Int

    init(handle: OpaquePointer, chunkSize: Int) {
        self.handle = handle
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize)
    }

    /// Appends raw bytes (text or binary COPY data).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > chunkSize { try flush() }
        if bytes.count >= chunkSize {
            try send(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends UTF-8 text.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Sends what is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        let status = PQputCopyData(handle, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard status == 1 else {
            let cause = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw StoreError(code: .copyFailed, message: "sending COPY data failed: \(cause)")
        }
    }
}

/// Builds one line of COPY's text format: fields separated by tabs, backslash escapes, `\N` for NULL.
public struct CopyTextRow {
    public private(set) var line = ""
    private var fieldCount = 0

    public init() {}

    /// Appends a field (nil is NULL), escaping backslash, tab, newline and carriage return.
    public mutating func append(_ field: String?) {
        if fieldCount > 0 { line += "\t" }
        fieldCount += 1
        guard let field else { line += CopyText.null; return }
        line += CopyText.escaped(field)
    }

    /// Appends a NULL field.
    public mutating func appendNull() { append(nil as String?) }

    /// Appends a parameter value in its text representation.
    public mutating func append(value: SQLValue) { append(value.postgresText) }

    /// The finished line with its newline.
    public var terminatedLine: String { line + "\n" }
}

extension Connection {
    /// Runs `COPY … FROM STDIN` (text, CSV or binary format, as the SQL says) and lets `body` feed
    /// the data. If `body` throws, the COPY is aborted on the server and nothing is loaded.
    /// - Returns: the number of rows the server loaded.
    @discardableResult
    public func copyIn(_ sql: String, chunkSize: Int = 1 << 20, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw connectionError(context: "starting COPY") }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            if status == PGRES_FATAL_ERROR { throw Connection.serverError(start, fallback: "COPY failed") }
            throw StoreError(code: .invalidArgument, message: "copyIn needs a COPY … FROM STDIN statement, got: \(sql.prefix(120))")
        }
        PQclear(start)
        let writer = CopyInWriter(handle: handle, chunkSize: chunkSize)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(handle, "aborted by the client: \(error)")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError(context: "finishing COPY") }
        var loaded = 0
        var failure: StoreError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                loaded = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Connection.serverError(result, fallback: "COPY failed")
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return loaded
    }

    /// Runs `COPY … TO STDOUT` and hands each chunk the server sends (one row per chunk in
    /// text format; the binary header arrives with the first row) to `consume`.
    /// - Returns: the number of rows the server sent.
    @discardableResult
    public func copyOut(_ sql: String, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw connectionError(context: "starting COPY") }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_OUT {
            defer { PQclear(start) }
            if status == PGRES_FATAL_ERROR { throw Connection.serverError(start, fallback: "COPY failed") }
            throw StoreError(code: .invalidArgument, message: "copyOut needs a COPY … TO STDOUT statement, got: \(sql.prefix(120))")
        }
        PQclear(start)
        var consumerError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                if consumerError == nil {
                    do { try consume(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch { consumerError = error }
                }
                PQfreemem(buffer)
            } else if length == -1 {
                break
            } else {
                drainResults()
                throw connectionError(context: "reading COPY data")
            }
        }
        var sent = 0
        var failure: StoreError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                sent = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Connection.serverError(result, fallback: "COPY failed")
            }
            PQclear(result)
        }
        if let consumerError { throw consumerError }
        if let failure { throw failure }
        return sent
    }
}

/// Splits one line of COPY's text format into fields, undoing the escapes; `\N` is NULL.
public enum CopyTextParser {
    public static func fields(_ line: Substring) -> [String?] {
        var fields: [String?] = []
        var current: [UInt8] = []
        var bytes = Array(line.utf8)
        if bytes.last == 0x0A { bytes.removeLast() }
        var i = 0
        var isNull = false
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x09 {
                fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true); isNull = false
            } else if b == 0x5C, i + 1 < bytes.count {
                i += 1
                switch bytes[i] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                case UInt8(ascii: "b"): current.append(0x08)
                case UInt8(ascii: "f"): current.append(0x0C)
                case UInt8(ascii: "v"): current.append(0x0B)
                default: current.append(bytes[i])
                }
            } else {
                current.append(b)
            }
            i += 1
        }
        fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
        return fields
    }
}
