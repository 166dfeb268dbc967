import Foundation

/// Which database `ail` talks to: an explicit DSN, else `DATABASE_URL`, else the seed's
/// `GEMATRIA_DSN`, else the embedded server under the data folder.
public enum DatabaseTarget: Sendable, Equatable {
    /// A server named by a DSN, with where the DSN came from (`--dsn`, `DATABASE_URL`, `GEMATRIA_DSN`).
    case server(dsn: String, source: String)
    /// The embedded server under the data folder.
    case embedded(home: URL)

    /// Resolves the target in the documented order.
    public static func resolve(explicitDSN: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> DatabaseTarget {
        if let dsn = explicitDSN, !dsn.isEmpty { return .server(dsn: dsn, source: "--dsn") }
        for name in ["DATABASE_URL", "GEMATRIA_DSN"] {
            if let dsn = environment[name], !dsn.isEmpty { return .server(dsn: dsn, source: name) }
        }
        return .embedded(home: DataFolder.resolve(environment: environment, currentDirectory: currentDirectory))
    }
}

/// The local data folder: `AIL_HOME`, default `./.ail`. Holds the embedded cluster and local state.
public enum DataFolder {
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        if let home = environment["AIL_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, relativeTo: currentDirectory).standardizedFileURL
        }
        return currentDirectory.appendingPathComponent(".ail").standardizedFileURL
    }
}
