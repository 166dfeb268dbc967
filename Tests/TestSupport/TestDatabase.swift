import Foundation
import Store

/// A fresh database on a throwaway PostgreSQL server that the test process starts itself.
///
/// The first call starts one private cluster for the whole test process (an ``EmbeddedServer``
/// under a temporary folder, as the `postgres` user when running as root) and stops and removes
/// it when the process exits. Each ``create(migrated:)`` makes a new, uniquely named database,
/// so tests running in parallel never see each other's rows. Migrated databases are cloned from one
/// template database migrated once per process (`CREATE DATABASE … TEMPLATE`), which is much
/// faster than running every migration for every test. Set `AIL_TEST_DSN` to a
/// maintenance DSN (dbname=postgres, superuser) to use an existing server instead.
public final class TestDatabase: @unchecked Sendable {
    /// Connection string of this test's database.
    public let dsn: String
    /// Name of this test's database.
    public let name: String

    private init(dsn: String, name: String) {
        self.dsn = dsn
        self.name = name
    }

    /// Opens a new connection to this test's database.
    public func connect() throws -> Connection { try Connection(dsn: dsn) }

    /// Creates a new database, with every migration in `migrations/` applied when `migrated`.
    public static func create(migrated: Bool = true) throws -> TestDatabase {
        let cluster = try TestCluster.shared()
        let name = "t_\(ProcessInfo.processInfo.processIdentifier)_\(TestCluster.nextNumber())"
        let admin = try Connection(dsn: cluster.maintenanceDSN)
        if migrated {
            let template = try cluster.migratedTemplate()
            try admin.executeScript("CREATE DATABASE \(name) TEMPLATE \(template)")
        } else {
            try admin.executeScript("CREATE DATABASE \(name)")
        }
        return TestDatabase(dsn: cluster.dsn(database: name), name: name)
    }
}

/// Paths inside the package, found from this source file's location.
public enum PackagePaths {
    /// The package root folder.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `migrations/`.
    public static var migrations: URL { root.appendingPathComponent("migrations") }
    /// `../shared` beside the package (read-only reference material).
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The built `ail` executable next to the test bundle (same build configuration).
    public static var ailExecutable: URL? {
        var folder = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("ail")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }
}

/// The one PostgreSQL cluster of a test process.
final class TestCluster: @unchecked Sendable {
    let maintenanceDSN: String
    private let base: String
    let server: EmbeddedServer?

    private init(maintenanceDSN: String, base: String, server: EmbeddedServer?) {
        self.maintenanceDSN = maintenanceDSN
        self.base = base
        self.server = server
    }

    func dsn(database: String) -> String { base + " dbname=\(database)" }

    private let templateLock = NSLock()
    nonisolated(unsafe) private var templateName: String?

    /// A database with every migration of `migrations/` applied, made once per test process and
    /// only ever copied (no connection stays open on it, which `CREATE DATABASE … TEMPLATE` needs).
    func migratedTemplate() throws -> String {
        templateLock.lock(); defer { templateLock.unlock() }
        if let templateName { return templateName }
        let name = "t_\(ProcessInfo.processInfo.processIdentifier)_template"
        let admin = try Connection(dsn: maintenanceDSN)
        try admin.executeScript("DROP DATABASE IF EXISTS \(name)")
        try admin.executeScript("CREATE DATABASE \(name)")
        do {
            let connection = try Connection(dsn: dsn(database: name))
            try MigrationRunner(directory: PackagePaths.migrations).migrate(connection)
        }
        templateName = name
        return name
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: TestCluster?
    nonisolated(unsafe) private static var counter = 0
    nonisolated(unsafe) static var startupError: Error?

    static func nextNumber() -> Int {
        lock.lock(); defer { lock.unlock() }
        counter += 1
        return counter
    }

    static func shared() throws -> TestCluster {
        lock.lock(); defer { lock.unlock() }
        if let instance { return instance }
        if let startupError { throw startupError }
        do {
            let cluster = try start()
            instance = cluster
            return cluster
        } catch {
            startupError = error
            throw error
        }
    }

    private static func start() throws -> TestCluster {
        if let external = ProcessInfo.processInfo.environment["AIL_TEST_DSN"], !external.isEmpty {
            let base = external.replacingOccurrences(of: #"dbname=\S+"#, with: "", options: .regularExpression)
            return TestCluster(maintenanceDSN: external, base: base, server: nil)
        }
        let home = URL(fileURLWithPath: "/tmp/ail-test-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: home)
        // Port from the pid, so two test processes on one machine do not share a socket name.
        let port = 20_000 + Int(ProcessInfo.processInfo.processIdentifier % 20_000)
        let server = EmbeddedServer(home: home, databaseName: "postgres", port: port)
        try server.start()
        atexit {
            TestCluster.stopAtExit()
        }
        let base = "host=\(server.socketDirectory.path) port=\(port) user=postgres"
        return TestCluster(maintenanceDSN: server.dsn, base: base, server: server)
    }

    private static func stopAtExit() {
        guard let server = instance?.server else { return }
        try? server.destroy()
        try? FileManager.default.removeItem(at: server.home)
    }
}
