import Crypto
import Foundation

/// Applies numbered SQL migrations (`016_create_….sql`, `017_….sql`, …) in name order, each in its
/// own transaction, and records them in `ail_schema_migrations` with a SHA-256 checksum.
///
/// A file applied earlier is skipped; a file edited after it was applied is refused with
/// ``StoreError/Code/migrationChecksumMismatch`` (write a new numbered file instead).
/// A session advisory lock keeps two runners from migrating the same database at once. The
/// migrations come from the copies compiled into the binary (``embedded``) or from a folder.
public struct MigrationRunner {
    /// A migration file and its checksum.
    public struct Migration: Sendable, Equatable {
        public let filename: String
        public let checksum: String
        public let sql: String
    }

    /// What one run did.
    public struct Report: Sendable {
        public var applied: [String] = []
        public var alreadyApplied: [String] = []
    }

    /// The folder the migrations are read from; nil for a fixed list (the embedded copies).
    public let directory: URL?
    private let fixed: [Migration]
    static let lockKey = 0x61696C5F6D6967  // "ail_mig"

    /// Reads the `.sql` files of `directory` when it runs.
    public init(directory: URL) {
        self.directory = directory
        self.fixed = []
    }

    /// Applies the given migrations (sorted by file name).
    public init(migrations: [Migration]) {
        self.directory = nil
        self.fixed = migrations.sorted { $0.filename < $1.filename }
    }

    /// The migrations compiled into this binary from the package's `migrations/` folder.
    public static var embedded: MigrationRunner { MigrationRunner(migrations: EmbeddedMigrations.all) }

    /// The migrations in name order: the `.sql` files of the folder, or the fixed list.
    public func migrations() throws -> [Migration] {
        guard let directory else { return fixed }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw StoreError(code: .invalidArgument, message: "cannot read the migrations folder \(directory.path): \(error.localizedDescription)")
        }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let sql = String(data: data, encoding: .utf8) else {
                throw StoreError(code: .invalidArgument, message: "cannot read migration \(url.path) as UTF-8 text")
            }
            return Migration(filename: name, checksum: Self.checksum(data), sql: sql)
        }
    }

    /// Lowercase hex SHA-256 of a file's bytes.
    public static func checksum(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Applies every pending migration.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> Report {
        let files = try migrations()
        try connection.execute("SELECT pg_advisory_lock($1::bigint)", [.int(Self.lockKey)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1::bigint)", [.int(Self.lockKey)]) }
        // No DDL unless the bookkeeping table is missing: a role that may read and write the tables
        // but does not own them (an ingest-only DSN) must be able to run every command.
        let present = try connection.execute("SELECT to_regclass('ail_schema_migrations') IS NOT NULL AS present")
        if try present.first?.value(0, as: Bool.self) != true {
            try connection.executeScript("""
            CREATE TABLE IF NOT EXISTS ail_schema_migrations (
                filename   text PRIMARY KEY,
                checksum   text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE ail_schema_migrations IS 'Migration files applied by ail migrate, with the SHA-256 of each file as applied.';
            """)
        }
        var recorded: [String: String] = [:]
        for row in try connection.execute("SELECT filename, checksum FROM ail_schema_migrations") {
            if let name = try row.value("filename", as: String.self), let sum = try row.value("checksum", as: String.self) {
                recorded[name] = sum
            }
        }
        var report = Report()
        for file in files {
            if let sum = recorded[file.filename] {
                guard sum == file.checksum else {
                    throw StoreError(code: .migrationChecksumMismatch,
                                     message: "migration \(file.filename) was edited after it was applied (applied checksum \(sum.prefix(12))…, file now \(file.checksum.prefix(12))…)",
                                     hint: "restore the applied version of the file and put the change in a new numbered migration")
                }
                report.alreadyApplied.append(file.filename)
                continue
            }
            do {
                try connection.transaction {
                    try connection.executeScript(file.sql)
                    try connection.execute("INSERT INTO ail_schema_migrations (filename, checksum) VALUES ($1, $2)",
                                           [.text(file.filename), .text(file.checksum)])
                }
            } catch let error as StoreError {
                var wrapped = error
                wrapped.code = .migrationFailed
                wrapped.message = "migration \(file.filename) failed: \(error.message)"
                throw wrapped
            }
            report.applied.append(file.filename)
        }
        return report
    }
}
