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
            let report = try MigrationsSource.runner().migrate(connection)
            if !report.applied.isEmpty { note("ail: applied migrations \(report.applied.joined(separator: ", "))") }
        }
        return connection
    }
}

/// The migrations `ail` applies: the copies compiled into the binary from the package's
/// `migrations/` folder, so `ail` works from any folder once installed. `AIL_MIGRATIONS_DIR`
/// names a folder to apply instead (for trying a migration without rebuilding).
public enum MigrationsSource {
    public static func runner(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> MigrationRunner {
        guard let dir = environment["AIL_MIGRATIONS_DIR"], !dir.isEmpty else { return .embedded }
        let url = URL(fileURLWithPath: dir).standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError(code: .invalidArgument,
                             message: "AIL_MIGRATIONS_DIR=\(dir) is not a folder",
                             hint: "unset AIL_MIGRATIONS_DIR to apply the migrations built into ail")
        }
        return MigrationRunner(directory: url)
    }
}
