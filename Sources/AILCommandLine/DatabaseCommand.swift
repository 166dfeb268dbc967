import ArgumentParser
import Foundation
import Store

/// `ail db start|stop|status`: manage the embedded server and inspect the database.
struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop and inspect the database (the embedded server unless a DSN is given).",
        discussion: """
            With no --dsn, DATABASE_URL or GEMATRIA_DSN, ail keeps a private PostgreSQL cluster under \
            the data folder (AIL_HOME, default ./.ail), reachable only through a Unix socket there. \
            Commands that need the database start it when it is down; data survives stop and start.

            Examples:
              ail db start
              ail db status --format json
              ail db stop
            """,
        subcommands: [Start.self, Stop.self, Status.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create (on first use) and start the embedded server, then apply migrations.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            guard case .embedded(let home) = database.target else {
                throw ValidationError("ail db start manages the embedded server only; a DSN was given (--dsn, DATABASE_URL or GEMATRIA_DSN)")
            }
            let server = EmbeddedServer(home: home)
            let started = try server.start()
            let connection = try Connection(dsn: server.dsn)
            let report = try MigrationsSource.runner().migrate(connection)
            if output.format == .json {
                try JSONOutput.print(StartReport(started: started, alreadyRunning: !started, dsn: server.dsn,
                                                 migrationsApplied: report.applied))
            } else {
                print(started ? "ail: embedded PostgreSQL started at \(server.socketDirectory.path) (data \(server.dataDirectory.path))"
                              : "ail: embedded PostgreSQL already running at \(server.socketDirectory.path)")
                if !report.applied.isEmpty { print("applied migrations: \(report.applied.joined(separator: ", "))") }
            }
        }
    }

    /// `db start --format json`.
    struct StartReport: Encodable {
        /// True when this command started the server; false when it was already running.
        var started: Bool
        var alreadyRunning: Bool
        var dsn: String
        /// Migration files applied by this command (empty when the schema was current).
        var migrationsApplied: [String]
        enum CodingKeys: String, CodingKey {
            case started, alreadyRunning = "already_running", dsn, migrationsApplied = "migrations_applied"
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded server (data is kept).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            guard case .embedded(let home) = database.target else {
                throw ValidationError("ail db stop manages the embedded server only; a DSN was given (--dsn, DATABASE_URL or GEMATRIA_DSN)")
            }
            let stopped = try EmbeddedServer(home: home).stop()
            if output.format == .json {
                try JSONOutput.print(["stopped": stopped])
            } else {
                print(stopped ? "ail: embedded PostgreSQL stopped" : "ail: embedded PostgreSQL was not running")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show where the database is, whether it is up, the applied migrations and the tables with row counts.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        struct Report: Encodable {
            var target: String
            var location: String
            /// A libpq connection string for psql or other clients (password redacted).
            var dsn: String
            var running: Bool
            var server_version: String?
            /// Applied migration files; null when the server is not running (unknown).
            var migrations: [String]?
            var tables: [Table]
            struct Table: Encodable { var name: String; var rows: Int }
        }

        func run() throws {
            var report = Report(target: "", location: "", dsn: "", running: false, server_version: nil, migrations: nil, tables: [])
            var connection: Connection?
            switch database.target {
            case .server(let dsn, let source):
                report.target = "server (\(source))"
                report.location = DSNRedaction.redactPassword(dsn)
                report.dsn = report.location
                connection = try Connection(dsn: dsn)
                report.running = true
            case .embedded(let home):
                let server = EmbeddedServer(home: home)
                report.target = "embedded"
                report.location = "\(server.socketDirectory.path) (data \(server.dataDirectory.path))"
                report.dsn = server.dsn
                report.running = try server.isRunning()
                if report.running { connection = try Connection(dsn: server.dsn) }
            }
            if let connection {
                report.server_version = try connection.execute("SHOW server_version").first?.value(0, as: String.self)
                report.migrations = []
                let hasMigrations = try connection.execute("SELECT to_regclass('ail_schema_migrations') IS NOT NULL AS present")
                if try hasMigrations.first?.value(0, as: Bool.self) == true {
                    report.migrations = try connection.execute("SELECT filename FROM ail_schema_migrations ORDER BY filename")
                        .compactMap { try $0.value(0, as: String.self) }
                }
                // Exact counts: the tables are small enough on a single node, and estimates mislead after bulk loads.
                let tables = try connection.execute("""
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname
                    """).compactMap { try $0.value(0, as: String.self) }
                for table in tables {
                    let count = try connection.execute("SELECT count(*) FROM \(EmbeddedServer.quoteIdentifier(table))").first?.value(0, as: Int.self) ?? 0
                    report.tables.append(.init(name: table, rows: count))
                }
            }
            if output.format == .json { return try JSONOutput.print(report) }
            print("database:   \(report.target)")
            print("location:   \(report.location)")
            print("dsn:        \(report.dsn)")
            print("running:    \(report.running ? "yes" : "no")")
            if let version = report.server_version { print("server:     PostgreSQL \(version)") }
            switch report.migrations {
            case nil: print("migrations: unknown (the server is not running; ail db start)")
            case let applied? where applied.isEmpty: print("migrations: none applied")
            case let applied?: print("migrations: \(applied.joined(separator: ", "))")
            }
            if !report.tables.isEmpty {
                let width = report.tables.map(\.name.count).max() ?? 0
                print("tables:")
                for table in report.tables {
                    print("  \(table.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(table.rows) rows")
                }
            }
        }
    }
}

/// `ail migrate`: apply pending migrations.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply every pending SQL file in migrations/ in order, each in a transaction.",
        discussion: """
            Applied files are recorded in ail_schema_migrations with their SHA-256; a file edited after it \
            was applied is refused (put changes in a new numbered file). The files are plain SQL:
            psql "$DSN" -v ON_ERROR_STOP=1 -f migrations/016_create_ai_learning_tracking.sql works too.

            Example:
              ail migrate --dsn postgresql://localhost/analytics
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let connection = try database.connect(migrate: false)
        let report = try MigrationsSource.runner().migrate(connection)
        if output.format == .json {
            try JSONOutput.print(["applied": report.applied, "already_applied": report.alreadyApplied])
        } else if report.applied.isEmpty {
            print("migrations up to date (\(report.alreadyApplied.count) applied)")
        } else {
            for file in report.applied { print("applied \(file)") }
        }
    }
}

/// Hides a password in a DSN before it is printed.
enum DSNRedaction {
    static func redactPassword(_ dsn: String) -> String {
        var out = dsn
        if let range = out.range(of: #"password\s*=\s*\S+"#, options: .regularExpression) {
            out.replaceSubrange(range, with: "password=***")
        }
        if let range = out.range(of: #"(?<=://)([^:/@]+):([^@]+)@"#, options: .regularExpression) {
            let user = out[range].split(separator: ":").first.map(String.init) ?? ""
            out.replaceSubrange(range, with: "\(user):***@")
        }
        return out
    }
}
