/// An error from the Store: a server error carrying PostgreSQL's own fields, or a client-side
/// failure (connection, decoding, COPY, migrations, the embedded server).
///
/// Match on ``code`` (`if error.code == .uniqueViolation`); new codes never break callers because
/// ``Code`` is a struct of static constants over a private enum, not a public enum.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable for callers to match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case connectionFailed, uniqueViolation, checkViolation, notNullViolation
            case foreignKeyViolation, undefinedTable, undefinedColumn, syntaxError
            case invalidTextRepresentation, serverError, decodingFailed, copyFailed
            case migrationChecksumMismatch, migrationFailed, serverNotInstalled, embeddedServerFailed
            case invalidArgument
        }
        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The server could not be reached or refused the connection (host/socket and cause in the message).
        public static let connectionFailed = Code(.connectionFailed)
        /// SQLSTATE 23505.
        public static let uniqueViolation = Code(.uniqueViolation)
        /// SQLSTATE 23514.
        public static let checkViolation = Code(.checkViolation)
        /// SQLSTATE 23502.
        public static let notNullViolation = Code(.notNullViolation)
        /// SQLSTATE 23503.
        public static let foreignKeyViolation = Code(.foreignKeyViolation)
        /// SQLSTATE 42P01.
        public static let undefinedTable = Code(.undefinedTable)
        /// SQLSTATE 42703.
        public static let undefinedColumn = Code(.undefinedColumn)
        /// SQLSTATE 42601.
        public static let syntaxError = Code(.syntaxError)
        /// SQLSTATE 22P02: a value the server could not parse for its type.
        public static let invalidTextRepresentation = Code(.invalidTextRepresentation)
        /// Any other server error; see ``StoreError/sqlState``.
        public static let serverError = Code(.serverError)
        /// A result value could not be decoded as the requested Swift type.
        public static let decodingFailed = Code(.decodingFailed)
        /// COPY could not be started, fed or finished.
        public static let copyFailed = Code(.copyFailed)
        /// An applied migration file has been edited since it was applied.
        public static let migrationChecksumMismatch = Code(.migrationChecksumMismatch)
        /// A migration file failed to apply (the server error is in the message).
        public static let migrationFailed = Code(.migrationFailed)
        /// The PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed.
        public static let serverNotInstalled = Code(.serverNotInstalled)
        /// The embedded server could not be created, started or stopped.
        public static let embeddedServerFailed = Code(.embeddedServerFailed)
        /// The caller passed something the Store cannot use.
        public static let invalidArgument = Code(.invalidArgument)

        /// Maps a SQLSTATE to the matching code (``serverError`` when there is no dedicated case).
        public static func forSQLState(_ state: String?) -> Code {
            switch state {
            case "23505": return .uniqueViolation
            case "23514": return .checkViolation
            case "23502": return .notNullViolation
            case "23503": return .foreignKeyViolation
            case "42P01": return .undefinedTable
            case "42703": return .undefinedColumn
            case "42601": return .syntaxError
            case "22P02": return .invalidTextRepresentation
            case let s? where s.hasPrefix("08"): return .connectionFailed
            default: return .serverError
            }
        }
    }

    public var code: Code
    /// The five-character SQLSTATE for server errors, nil for client-side failures.
    public var sqlState: String?
    /// The primary message (the server's, or ours).
    public var message: String
    /// The server's DETAIL field, if any.
    public var detail: String?
    /// The server's HINT field, or our suggestion of what to do.
    public var hint: String?
    /// The constraint named by the server for integrity violations.
    public var constraint: String?

    public init(code: Code, message: String, sqlState: String? = nil, detail: String? = nil,
                hint: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += "\nDETAIL: \(detail)" }
        if let hint, !hint.isEmpty { text += "\nHINT: \(hint)" }
        return text
    }
}
