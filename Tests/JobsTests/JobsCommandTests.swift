import Foundation
import Store
import TestSupport
import Testing

/// `ail jobs` as a user types it.
@Suite("ail jobs add, list, run, history, enable, disable, remove")
struct JobsCommandTests {
    let database: TestDatabase
    let ail: String
    let environment: [String: String]

    init() throws {
        database = try TestDatabase.create()
        ail = try #require(PackagePaths.ailExecutable, "build the ail product first").path
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "GEMATRIA_DSN"] { environment.removeValue(forKey: name) }
        environment["AIL_MIGRATIONS_DIR"] = PackagePaths.migrations.path
        self.environment = environment
    }

    func run(_ arguments: String...) throws -> ChildProcess.Result {
        var words = Array(arguments)
        let insert = words.firstIndex(of: "--") ?? words.count
        words.insert(contentsOf: ["--dsn", database.dsn], at: insert)
        return try ChildProcess.run([ail] + words, environment: environment, allowFailure: true)
    }

    func json(_ result: ChildProcess.Result) throws -> [String: Any] {
        let start = try #require(result.output.firstIndex(of: "{"), "no JSON in: \(result.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output[start...].utf8)) as? [String: Any])
    }

    @Test func commandsThatAreNotAilCommandsAreRefusedWithTheParsersMessage() throws {
        let misspelt = try run("jobs", "add", "x", "--schedule", "0 3 * * *", "--", "db", "statsu")
        #expect(misspelt.status == 65)
        #expect(misspelt.output == "error: command: `ail db statsu` is not a valid ail command: Unexpected argument 'statsu'")
        let option = try run("jobs", "add", "x", "--schedule", "0 3 * * *", "--", "ingest", "--chunk-sise", "5", "f.ndjson")
        #expect(option.output.contains("Unknown option '--chunk-sise'. Did you mean '--chunk-size'?"), "\(option.output)")
        let notAil = try run("jobs", "add", "x", "--schedule", "0 3 * * *", "--", "rm", "-rf", "/")
        #expect(notAil.status == 65 && notAil.output.contains("`ail rm -rf /` is not a valid ail command"), "\(notAil.output)")
        let recursive = try run("jobs", "add", "x", "--schedule", "0 3 * * *", "--", "scheduler")
        #expect(recursive.output.contains("a job cannot run `ail scheduler`"))
        let zone = try run("jobs", "add", "x", "--schedule", "0 3 * * *", "--timezone", "Europe/Berln", "--", "db", "status")
        #expect(zone.status == 65 && zone.output.contains("timezone: unknown IANA time zone \"Europe/Berln\""))
        let cron = try run("jobs", "add", "x", "--schedule", "0 25 * * *", "--", "db", "status")
        #expect(cron.status == 65 && cron.output == "error: schedule: hour 25 is out of range (0-23)")
        #expect(try json(try run("jobs", "list", "--format", "json"))["jobs"] as? [Any] != nil)
        #expect((try json(try run("jobs", "list", "--format", "json"))["jobs"] as? [Any])?.isEmpty == true)
    }

    @Test func addListRunHistoryEnableDisableRemove() throws {
        let added = try json(try run("jobs", "add", "nightly", "--schedule", "0 3 * * *", "--timezone", "Europe/Berlin", "--format", "json", "--", "db", "status"))
        #expect(added["outcome"] as? String == "added")
        // Re-adding the same job is a no-op (make demo re-runs); a different one needs --replace.
        #expect(try json(try run("jobs", "add", "nightly", "--schedule", "0 3 * * *", "--timezone", "Europe/Berlin", "--format", "json", "--", "db", "status"))["outcome"] as? String == "unchanged")
        let clash = try run("jobs", "add", "nightly", "--schedule", "0 4 * * *", "--", "db", "status")
        #expect(clash.status == 65 && clash.output.contains("use --replace"), "\(clash.output)")
        #expect(try json(try run("jobs", "add", "nightly", "--schedule", "0 3 * * *", "--timezone", "Europe/Berlin", "--replace", "--format", "json", "--", "ail", "db", "status", "--format", "json"))["outcome"] as? String == "replaced")

        let list = try json(try run("jobs", "list", "--format", "json"))
        let job = try #require((list["jobs"] as? [[String: Any]])?.first)
        #expect(job["time_zone"] as? String == "Europe/Berlin")
        #expect(job["command"] as? [String] == ["db", "status", "--format", "json"])
        let local = try #require(job["next_run_local"] as? String)
        #expect(local.contains(" 03:00 +0"), "\(local)")  // 03:00 Berlin time, +01:00 or +02:00
        let text = try run("jobs", "list")
        #expect(text.output.contains("nightly") && text.output.contains("Europe/Berlin") && text.output.contains("03:00"))

        let manual = try json(try run("jobs", "run", "nightly", "--format", "json"))
        #expect(manual["status"] as? String == "succeeded" && manual["trigger"] as? String == "manual" && manual["exit_code"] as? Int == 0)
        let history = try json(try run("jobs", "history", "nightly", "--format", "json"))
        #expect((history["runs"] as? [[String: Any]])?.count == 1)

        #expect(try run("jobs", "disable", "nightly").status == 0)
        let disabled = try json(try run("jobs", "list", "--format", "json"))["jobs"] as? [[String: Any]]
        #expect(disabled?.first?["enabled"] as? Bool == false)
        // Re-running a setup script neither fails on nor re-enables a job someone disabled.
        let readd = try json(try run("jobs", "add", "nightly", "--schedule", "0 3 * * *", "--timezone", "Europe/Berlin", "--format", "json", "--", "db", "status", "--format", "json"))
        #expect(readd["outcome"] as? String == "unchanged")
        #expect((readd["job"] as? [String: Any])?["enabled"] as? Bool == false)
        #expect(try run("jobs", "enable", "nightly").status == 0)
        let removed = try json(try run("jobs", "remove", "nightly", "--format", "json"))
        #expect(removed["runs_deleted"] as? Int == 1)
        let gone = try run("jobs", "run", "nightly")
        #expect(gone.status == 65 && gone.output.contains("no job named nightly"))
    }

    @Test func aManualIngestRunRecordsRowsProcessedAndAFailureExitsWithTheCommandsStatus() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ail-jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: file.replacingOccurrences(of: ".ndjson", with: ".truth.json")) }
        #expect(try ChildProcess.run([ail, "simulate", "--developers", "1", "--days", "1", "--seed", "5", "--out", file], environment: environment, allowFailure: true).status == 0)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count
        #expect(try run("jobs", "add", "load", "--schedule", "@daily", "--", "ingest", file).status == 0)
        let first = try json(try run("jobs", "run", "load", "--format", "json"))
        #expect(first["rows_processed"] as? Int == lines)
        let again = try json(try run("jobs", "run", "load", "--format", "json"))
        #expect(again["rows_processed"] as? Int == 0)  // every event already stored

        #expect(try run("jobs", "add", "broken", "--schedule", "@daily", "--", "ingest", "/nonexistent/x.ndjson").status == 0)
        let failed = try run("jobs", "run", "broken")
        #expect(failed.status == 65)
        #expect(failed.output.contains("failed") && failed.output.contains("no such file"), "\(failed.output)")
    }
}
