import Foundation
import Store
import TestSupport
import Testing

@Suite("Embedded server", .serialized)
struct EmbeddedServerTests {
    @Test func startStopRestartKeepsData() throws {
        let home = URL(fileURLWithPath: "/tmp/ail-embedded-\(UUID().uuidString.prefix(8))")
        let server = EmbeddedServer(home: home, port: 21_000 + Int(ProcessInfo.processInfo.processIdentifier % 9_000))
        defer { try? server.destroy(); try? FileManager.default.removeItem(at: home) }

        #expect(try server.isRunning() == false)
        #expect(try server.start() == true)          // creates the cluster and starts it
        #expect(try server.isRunning())
        #expect(try server.start() == false)         // already running: nothing to do
        do {
            let connection = try Connection(dsn: server.dsn)
            try connection.executeScript("CREATE TABLE kept (v text)")
            try connection.execute("INSERT INTO kept VALUES ($1)", ["survives"])
            // Unix socket only: no TCP listener.
            #expect(try connection.execute("SHOW listen_addresses").first?.value(0, as: String.self) == "")
        }
        #expect(try server.stop() == true)
        #expect(try server.isRunning() == false)
        #expect(try server.stop() == false)
        let refused = try #require(throws: StoreError.self) { try Connection(dsn: server.dsn) }
        #expect(refused.code == .connectionFailed)
        #expect(refused.message.contains(server.socketDirectory.path))

        #expect(try server.start() == true)
        let connection = try Connection(dsn: server.dsn)
        #expect(try connection.execute("SELECT v FROM kept").first?.value(0, as: String.self) == "survives")
    }

    @Test func missingServerBinariesNameThePackage() throws {
        // Point the locator at a folder without PostgreSQL and an empty PATH.
        let error = try #require(throws: StoreError.self) {
            try ServerBinaries.locate(environment: ["PATH": "/nonexistent"], versionsRoot: "/nonexistent/postgresql")
        }
        #expect(error.code == .serverNotInstalled)
        #expect(error.hint?.contains("apt-get install -y postgresql") == true)
        let located = try ServerBinaries.locate()
        #expect(located.initdb.hasSuffix("/initdb"))
    }

    @Test func resolutionOrder() {
        let cwd = URL(fileURLWithPath: "/srv/project")
        #expect(DatabaseTarget.resolve(explicitDSN: "host=a", environment: ["DATABASE_URL": "host=b", "GEMATRIA_DSN": "host=c"], currentDirectory: cwd)
                == .server(dsn: "host=a", source: "--dsn"))
        #expect(DatabaseTarget.resolve(explicitDSN: nil, environment: ["DATABASE_URL": "host=b", "GEMATRIA_DSN": "host=c"], currentDirectory: cwd)
                == .server(dsn: "host=b", source: "DATABASE_URL"))
        #expect(DatabaseTarget.resolve(explicitDSN: nil, environment: ["GEMATRIA_DSN": "host=c"], currentDirectory: cwd)
                == .server(dsn: "host=c", source: "GEMATRIA_DSN"))
        #expect(DatabaseTarget.resolve(explicitDSN: nil, environment: [:], currentDirectory: cwd) == .embedded(home: URL(fileURLWithPath: "/srv/project/.ail")))
        #expect(DatabaseTarget.resolve(explicitDSN: nil, environment: ["AIL_HOME": "/data/ail"], currentDirectory: cwd) == .embedded(home: URL(fileURLWithPath: "/data/ail")))
    }

    @Test func longDataFolderPathsGetAShortSocketFolder() {
        let deep = URL(fileURLWithPath: "/tmp/" + String(repeating: "very-long-folder-name/", count: 6))
        let server = EmbeddedServer(home: deep)
        #expect(server.socketDirectory.path.utf8.count < 60)
        #expect(EmbeddedServer(home: URL(fileURLWithPath: "/work/p/.ail")).socketDirectory.path == "/work/p/.ail/run")
    }
}
