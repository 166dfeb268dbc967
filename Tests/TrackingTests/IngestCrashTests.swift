import Foundation
import Store
import Testing
import TestSupport
@testable import Tracking

#if canImport(Glibc)
import Glibc
#endif

/// An `ail ingest` killed with SIGKILL half way, then run again, ends with exact counts.
@Suite(.tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason)) struct IngestCrashTests {
    /// The `ail` executable built next to this test bundle.
    static func ailBinary() -> URL? {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argv0.deletingLastPathComponent().appendingPathComponent("ail"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("ail"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ail"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func ingestProcess(_ binary: URL, file: URL, dsn: String, json: Bool, output: Pipe) -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = ["ingest", file.path, "--dsn", dsn, "--chunk-size", "500", "--quiet"] + (json ? ["--format", "json"] : [])
        var env = ProcessInfo.processInfo.environment
        env["AIL_PSEUDONYM_KEY"] = "crash-test-key"
        env["AIL_MIGRATIONS_DIR"] = Self.packageRoot.appendingPathComponent("migrations").path
        p.environment = env
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        return p
    }

    @Test func killedMidFileThenRunAgain() throws {
        guard let binary = PackagePaths.ailExecutable ?? Self.ailBinary() else {
            Issue.record("the ail executable is not built next to the tests; run `swift build --product ail` first")
            return
        }
        let db = try TestDatabase.create()
        let connection = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(developers: 40, days: 40, seed: 99).write(to: file)
        let total = truth.eventCounts.values.reduce(0, +)

        // First run: kill it as soon as a few chunks are committed.
        let first = ingestProcess(binary, file: file, dsn: db.dsn, json: false, output: Pipe())
        try first.run()
        var committed = 0
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, first.isRunning {
            committed = try IngestTests.storedEvents(connection)
            if committed >= 1500 { break }
            usleep(5_000)
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal, "the ingest finished before it could be killed")
        let afterKill = try IngestTests.storedEvents(connection)
        #expect(afterKill > 0 && afterKill < total, "committed \(afterKill) of \(total)")

        // Second run: exact counts.
        let pipe = Pipe()
        let second = ingestProcess(binary, file: file, dsn: db.dsn, json: true, output: pipe)
        try second.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let summary = try JSONDecoder().decode(IngestSummary.self, from: out)
        #expect(summary == IngestSummary(received: total, inserted: total - afterKill, duplicates: afterKill, rejected: 0))
        #expect(try IngestTests.storedEvents(connection) == total)
        // And the JSON has exactly the four keys.
        let keys = (try JSONSerialization.jsonObject(with: out) as? [String: Any]).map { Set($0.keys) }
        #expect(keys == ["received", "inserted", "duplicates", "rejected"])
    }

    /// The server restarted (fast shutdown) under a running ingest: the ingest fails on the lost
    /// connection, the chunk in flight rolls back, and running it again ends with exact counts.
    @Test func serverRestartedMidFileThenRunAgain() throws {
        guard let binary = PackagePaths.ailExecutable ?? Self.ailBinary() else {
            Issue.record("the ail executable is not built next to the tests; run `swift build --product ail` first")
            return
        }
        let home = URL(fileURLWithPath: "/tmp/ail-restart-\(UUID().uuidString.prefix(8))")
        let server = EmbeddedServer(home: home, port: 30_000 + Int(ProcessInfo.processInfo.processIdentifier % 9_000))
        defer { try? server.destroy(); try? FileManager.default.removeItem(at: home) }
        try server.start()
        var environment = ProcessInfo.processInfo.environment
        environment["AIL_MIGRATIONS_DIR"] = Self.packageRoot.appendingPathComponent("migrations").path
        try ChildProcess.run([binary.path, "migrate", "--dsn", server.dsn], environment: environment)

        let file = home.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(developers: 40, days: 40, seed: 98).write(to: file)
        let total = truth.eventCounts.values.reduce(0, +)

        let first = ingestProcess(binary, file: file, dsn: server.dsn, json: false, output: Pipe())
        try first.run()
        var committed = 0
        do {
            let connection = try Connection(dsn: server.dsn)
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline, first.isRunning {
                committed = try IngestTests.storedEvents(connection)
                if committed >= 1500 { break }
                usleep(5_000)
            }
        }
        #expect(try server.stop() == true)
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus != 0,
                "the ingest should fail when its server goes away (status \(first.terminationStatus))")
        #expect(try server.start() == true)
        let connection = try Connection(dsn: server.dsn)
        let afterRestart = try IngestTests.storedEvents(connection)
        #expect(afterRestart >= 1500 && afterRestart < total, "committed \(afterRestart) of \(total)")

        let pipe = Pipe()
        let second = ingestProcess(binary, file: file, dsn: server.dsn, json: true, output: pipe)
        try second.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let summary = try JSONDecoder().decode(IngestSummary.self, from: out)
        #expect(summary == IngestSummary(received: total, inserted: total - afterRestart, duplicates: afterRestart, rejected: 0))
        #expect(try IngestTests.storedEvents(connection) == total)
    }
}
