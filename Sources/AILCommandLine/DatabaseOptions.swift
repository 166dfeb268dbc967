import ArgumentParser
import Foundation
import Store

/// The `--dsn` option and everything needed to reach the database: an explicit DSN,
/// `DATABASE_URL`, the seed's `GEMATRIA_DSN`, else the embedded server under the data folder
/// (`AIL_HOME`, default `./.ail`), started on demand.
public struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL connection string or URI.",
        discussion: "Default: DATABASE_URL, then GEMATRIA_DSN, then the embedded server under AIL_HOME (./.ail)."))
    public var dsn: String?

    public init() {}

    /// Where the database is, in the documented order.
    public var target: DatabaseTarget { DatabaseTarget.resolve(explicitDSN: dsn) }

    /// Connects, starting the embedded server first when that is the target.
    /// - Parameter migrate: apply pending migrations before returning (commands that need the schema).
    public func connect(migrate: Bool = true) throws -> Connection {
        let connection: Connection
        switch target {
        case .server(let dsn, _):
            connection = try Connection(dsn: dsn)
        case .embedded(let home):
            let server = EmbeddedServer(home: home)
            if try server.start() {
                note("ail: started the embedded PostgreSQL server (data \(server.dataDirectory.path), socket \(server.socketDirectory.path))")
            }
            connection = try Connection(dsn: server.dsn)
        }
        if migrate {
            let report = try MigrationRunner(directory: try MigrationsFolder.locate()).migrate(connection)
            if !report.applied.isEmpty { note("ail: applied migrations \(report.applied.joined(separator: ", "))") }
        }
        return connection
    }
}

/// Finds the `migrations/` folder: `AIL_MIGRATIONS_DIR`, `./migrations`, or the folder next to
/// the package the `ail` binary was built in.
public enum MigrationsFolder {
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let dir = environment["AIL_MIGRATIONS_DIR"] { candidates.append(URL(fileURLWithPath: dir)) }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("migrations"))
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("migrations"))
            folder = folder.deletingLastPathComponent()
        }
        for url in candidates where fm.fileExists(atPath: url.appendingPathComponent("016_create_ai_learning_tracking.sql").path) {
            return url.standardizedFileURL
        }
        throw StoreError(code: .invalidArgument,
                         message: "cannot find the migrations folder (looked for migrations/016_create_ai_learning_tracking.sql in AIL_MIGRATIONS_DIR, ./migrations and beside the ail binary)",
                         hint: "run ail from the project folder or set AIL_MIGRATIONS_DIR")
    }
}
