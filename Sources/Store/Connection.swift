import CLibPQ
import Foundation

/// One libpq connection. Not thread-safe and not Sendable: keep it on one task or thread
/// (libpq wants one connection per thread); open one per worker.
///
/// Every session is set to UTC, ISO dates and `client_min_messages = warning` so decoded
/// timestamps do not depend on the server's settings and re-runnable DDL stays quiet.
public final class Connection {
    let handle: OpaquePointer
    private var transactionDepth = 0

    /// Opens a connection from a libpq connection string or URI
    /// (`host=/path/to/socket dbname=ail`, `postgresql://user@host/db`).
    /// - Throws: ``StoreError/Code/connectionFailed`` naming the host or socket and the cause.
    public init(dsn: String) throws {
        guard let handle = PQconnectdb(dsn) else {
            throw StoreError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let cause = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            let target = Connection.describeTarget(handle)
            PQfinish(handle)
            throw StoreError(code: .connectionFailed,
                             message: "cannot connect to PostgreSQL at \(target): \(cause)",
                             hint: "check that the server is running and the DSN (--dsn, DATABASE_URL or GEMATRIA_DSN) is right")
        }
        self.handle = handle
        try executeScript("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET client_min_messages = warning; SET extra_float_digits = 3")
    }

    deinit { PQfinish(handle) }

    private static func describeTarget(_ handle: OpaquePointer) -> String {
        let host = PQhost(handle).map { String(cString: $0) } ?? ""
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        if host.isEmpty { return "the default socket" }
        if host.hasPrefix("/") { return "socket \(host)/.s.PGSQL.\(port)" }
        return "host \(host) port \(port)"
    }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// Runs one statement with parameters `$1…$n` sent separately from the SQL text.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [SQLValue] = []) throws -> QueryResult {
        let texts = parameters.map(\.postgresText)
        let result = withCStrings(texts) { pointers in
            PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result, sql: sql)
    }

    /// Runs a script of one or more statements without parameters (used for migrations).
    public func executeScript(_ sql: String) throws {
        let result = PQexec(handle, sql)
        _ = try consume(result, sql: sql)
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    /// Nested calls use savepoints, so an inner failure rolls back only the inner work.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let depth = transactionDepth
        try executeScript(depth == 0 ? "BEGIN" : "SAVEPOINT ail_sp_\(depth)")
        transactionDepth += 1
        do {
            let value = try body()
            transactionDepth -= 1
            try executeScript(depth == 0 ? "COMMIT" : "RELEASE SAVEPOINT ail_sp_\(depth)")
            return value
        } catch {
            transactionDepth -= 1
            try? executeScript(depth == 0 ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT ail_sp_\(depth)")
            throw error
        }
    }

    /// Turns a libpq result into a ``QueryResult`` or a typed ``StoreError``, freeing it.
    func consume(_ result: OpaquePointer?, sql: String) throws -> QueryResult {
        guard let result else { throw connectionError(context: "sending a statement") }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return QueryResult(copying: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // Leave the connection usable: end the unexpected COPY before reporting.
            _ = PQputCopyEnd(handle, "COPY must go through copyIn/copyOut")
            drainResults()
            throw StoreError(code: .invalidArgument, message: "COPY statements must be run with copyIn or copyOut, not execute")
        default:
            throw Connection.serverError(result, fallback: String(cString: PQerrorMessage(handle)))
        }
    }

    /// Reads the error fields of a failed result into a ``StoreError``.
    static func serverError(_ result: OpaquePointer, fallback: String) -> StoreError {
        func field(_ code: UInt8) -> String? {
            guard let p = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: p)
        }
        let state = field(UInt8(ascii: "C"))
        let message = field(UInt8(ascii: "M")) ?? fallback.trimmingCharacters(in: .whitespacesAndNewlines)
        return StoreError(code: .forSQLState(state), message: message, sqlState: state,
                          detail: field(UInt8(ascii: "D")), hint: field(UInt8(ascii: "H")),
                          constraint: field(UInt8(ascii: "n")))
    }

    func connectionError(context: String) -> StoreError {
        let cause = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        let code: StoreError.Code = PQstatus(handle) == CONNECTION_OK ? .serverError : .connectionFailed
        return StoreError(code: code, message: "\(context) failed: \(cause)")
    }

    /// Discards pending results so the connection is ready for the next command.
    func drainResults() {
        while let r = PQgetResult(handle) { PQclear(r) }
    }
}

/// Calls `body` with C strings for each optional text (NULL pointers for nil), valid only inside.
func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var owned: [UnsafeMutablePointer<CChar>?] = texts.map { text in text.flatMap { strdup($0) } }
    defer { for p in owned { free(p) } }
    return body(owned.map { UnsafePointer($0) })
}
