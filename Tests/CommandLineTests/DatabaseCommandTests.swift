import Foundation
import Store
import TestSupport
import Testing

/// Runs the built `ail` binary as a user would.
struct AILProcess {
    let executable: URL
    var environment: [String: String]

    init(home: URL? = nil) throws {
        executable = try #require(PackagePaths.ailExecutable, "build the ail product first (swift build --build-tests builds it)")
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "GEMATRIA_DSN"] { environment.removeValue(forKey: name) }
        if let home { environment["AIL_HOME"] = home.path }
        self.environment = environment
    }

    func run(_ arguments: String...) throws -> ChildProcess.Result { try run(arguments) }

    func run(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run([executable.path] + arguments, environment: environment, allowFailure: true)
    }

    /// Runs and decodes the JSON document the command prints (status lines go to stderr,
    /// which this merges, so take the JSON object from the first `{`).
    func json(_ arguments: String...) throws -> [String: Any] {
        let result = try ChildProcess.run([executable.path] + arguments, environment: environment, allowFailure: true)
        #expect(result.status == 0, "ail \(arguments.joined(separator: " ")): \(result.output)")
        let start = try #require(result.output.firstIndex(of: "{"), "no JSON in: \(result.output)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output[start...].utf8))
        return try #require(object as? [String: Any])
    }
}

@Suite("ail db and ail migrate", .serialized)
struct DatabaseCommandTests {
    @Test func embeddedLifecycleThroughTheCommandLine() throws {
        let home = URL(fileURLWithPath: "/tmp/ail-cli-\(UUID().uuidString.prefix(8))")
        defer {
            try? EmbeddedServer(home: home).destroy()
            try? FileManager.default.removeItem(at: home)
        }
        let ail = try AILProcess(home: home)

        let before = try ail.json("db", "status", "--format", "json")
        #expect(before["running"] as? Bool == false)
        #expect(before["target"] as? String == "embedded")

        let start = try ail.run("db", "start")
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output.contains("embedded PostgreSQL started at \(home.path)/run"))

        let status = try ail.json("db", "status", "--format", "json")
        #expect(status["running"] as? Bool == true)
        #expect((status["migrations"] as? [String])?.contains("016_create_ai_learning_tracking.sql") == true)
        let tables = (status["tables"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for table in ["ai_sessions", "ai_interactions", "tool_usage_analytics", "code_generation_events", "user_feedback",
                      "context_awareness_events", "learning_events", "model_performance_metrics",
                      "ai_performance_insights", "satisfaction_metrics"] {
            #expect(tables.contains(table), "\(table) missing from \(tables)")
        }

        let text = try ail.run("db", "status")
        #expect(text.output.contains("running:    yes"))

        let stop = try ail.run("db", "stop")
        #expect(stop.status == 0)
        #expect(stop.output.contains("stopped"))
        #expect(try ail.json("db", "status", "--format", "json")["running"] as? Bool == false)
        // stopped, the applied migrations are not known (not "none")
        let stopped = try ail.run("db", "status")
        #expect(stopped.output.contains("migrations: unknown (the server is not running"), "\(stopped.output)")
        let again = try ail.json("db", "start", "--format", "json")
        #expect(again["started"] as? Bool == true && again["already_running"] as? Bool == false)
        #expect(again["migrations_applied"] as? [String] == [])
        let running = try ail.json("db", "start", "--format", "json")
        #expect(running["started"] as? Bool == false && running["already_running"] as? Bool == true)
        _ = try ail.run("db", "stop")

        // A command that needs the database starts it again.
        let migrate = try ail.run("migrate")
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.contains("started the embedded PostgreSQL server"))
        #expect(migrate.output.contains("migrations up to date"))
    }

    @Test func migrateAgainstAGivenServer() throws {
        let database = try TestDatabase.create(migrated: false)
        let ail = try AILProcess()
        let first = try ail.json("migrate", "--dsn", database.dsn, "--format", "json")
        #expect((first["applied"] as? [String])?.first == "016_create_ai_learning_tracking.sql")
        let second = try ail.json("migrate", "--dsn", database.dsn, "--format", "json")
        #expect((second["applied"] as? [String])?.isEmpty == true)

        // DATABASE_URL is honoured when --dsn is absent.
        var viaEnvironment = ail
        viaEnvironment.environment["DATABASE_URL"] = database.dsn
        let status = try viaEnvironment.json("db", "status", "--format", "json")
        #expect(status["target"] as? String == "server (DATABASE_URL)")
    }

    @Test func editedMigrationIsRefusedWithExitCode65() throws {
        let database = try TestDatabase.create()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-cli-migrations-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: PackagePaths.migrations, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("016_create_ai_learning_tracking.sql")
        try (try String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").write(to: file, atomically: true, encoding: .utf8)
        var ail = try AILProcess()
        ail.environment["AIL_MIGRATIONS_DIR"] = folder.path
        let result = try ail.run("migrate", "--dsn", database.dsn)
        #expect(result.status == 65)
        #expect(result.output.contains("016_create_ai_learning_tracking.sql was edited after it was applied"))
    }

    @Test func unreachableServerExitsWith69AndNamesTheSocket() throws {
        let ail = try AILProcess()
        let result = try ail.run("db", "status", "--dsn", "host=/tmp/ail-no-such-dir port=5 dbname=x")
        #expect(result.status == 69)
        #expect(result.output.contains("/tmp/ail-no-such-dir/.s.PGSQL.5"))
    }

    @Test func startRefusesWhenAServerIsNamed() throws {
        let ail = try AILProcess()
        let result = try ail.run("db", "start", "--dsn", "host=/tmp/x dbname=y")
        #expect(result.status != 0)
        #expect(result.output.contains("embedded server only"))
    }
}
