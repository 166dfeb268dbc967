import Foundation
import Store
import TestSupport
import Testing

/// `ail` copied out of the checkout (as `make install` does) works from an empty folder: the
/// migrations travel inside the binary.
@Suite("Installed binary")
struct InstalledBinaryTests {
    @Test func aCopiedBinaryMigratesFromAnEmptyFolder() throws {
        let built = try #require(PackagePaths.ailExecutable, "build the ail product first")
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("ail-install-\(UUID().uuidString.prefix(8))")
        let bin = prefix.appendingPathComponent("bin")
        let workdir = prefix.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: prefix) }
        let installed = bin.appendingPathComponent("ail")
        // copied by a child process: a file this process held open for writing could be inherited
        // by a sibling test's fork and make the exec fail with ETXTBSY
        _ = try ChildProcess.run(["/usr/bin/install", "-m", "755", built.path, installed.path])

        let database = try TestDatabase.create(migrated: false)
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "GEMATRIA_DSN", "AIL_MIGRATIONS_DIR"] { environment.removeValue(forKey: name) }
        // run from the empty folder: nothing of the checkout is reachable from there
        let script = "cd '\(workdir.path)' && exec '\(installed.path)' migrate --dsn '\(database.dsn)' --format json"
        let result = try ChildProcess.run(["/bin/sh", "-c", script], environment: environment, allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        let expected = try MigrationRunner(directory: PackagePaths.migrations).migrations().map(\.filename)
        for name in expected { #expect(result.output.contains(name), "\(name) not applied: \(result.output)") }
        let tables = try database.connect().execute("SELECT count(*) FROM ail_schema_migrations").first?.value(0, as: Int.self)
        #expect(tables == expected.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workdir.path).isEmpty)
    }

    @Test func versionIsPrinted() throws {
        let built = try #require(PackagePaths.ailExecutable)
        let result = try ChildProcess.run([built.path, "--version"], allowFailure: true)
        #expect(result.status == 0)
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "ail \(EngineVersion.current)")
    }
}
