import Foundation
import Jobs
import Store
import TestSupport
import Testing

/// `ail scheduler` and `ail jobs` as separate processes, killed and stopped as in production.
@Suite("ail scheduler processes: crash, standby, stop", .serialized, .tags(.heavy), .enabled(if: HeavyTests.enabled, HeavyTests.reason))
struct SchedulerProcessTests {
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

    func ail(_ arguments: [String]) throws -> ChildProcess.Result {
        try ChildProcess.run([ail] + arguments + ["--dsn", database.dsn], environment: environment, allowFailure: true)
    }

    func add(_ name: String, _ command: [String]) throws {
        let result = try ChildProcess.run([ail, "jobs", "add", name, "--schedule", "0 3 * * *", "--dsn", database.dsn, "--"] + command,
                                          environment: environment, allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
    }

    func startScheduler(_ extra: [String] = []) throws -> ChildProcess.Spawned {
        try ChildProcess.Spawned([ail, "scheduler", "--dsn", database.dsn, "--poll", "0.2", "--format", "json"] + extra, environment: environment)
    }

    /// Makes every job due now, as if its scheduled time had come.
    func makeDue() throws {
        try database.connect().execute("UPDATE scheduled_jobs SET next_run_at = now() - interval '1 second'")
    }

    func statuses(_ name: String) throws -> [String] {
        try database.connect().execute("""
            SELECT r.status FROM scheduled_job_runs r JOIN scheduled_jobs j ON j.id = r.job_id WHERE j.name = $1 ORDER BY r.id
            """, [.text(name)]).map { try $0.required("status") }
    }

    /// Polls `condition` every 50 ms for up to `seconds`.
    func eventually(_ seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return false
    }

    func waitForExit(_ child: ChildProcess.Spawned, seconds: Double = 60) throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let code = try child.poll() { return code }
            usleep(50_000)
        }
        child.signalGroup(SIGKILL); kill(child.pid, SIGKILL)
        return nil
    }

    /// Whether a process is gone (or a zombie nobody has reaped yet).
    func isGone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }

    @Test func sigkillMidRunLeavesAnAbandonedRunAndALaterSuccessfulOne() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ail-jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: out.replacingOccurrences(of: ".ndjson", with: ".truth.json")) }
        try add("simulate", ["simulate", "--developers", "40", "--days", "90", "--seed", "7", "--out", out])
        try makeDue()
        let first = try startScheduler(["--lease", "2"])
        var childPID: Int32 = 0
        let running = try eventually {
            let row = try database.connect().execute("SELECT pid FROM scheduled_job_runs WHERE status = 'running' AND pid IS NOT NULL").first
            childPID = try row?.value("pid", as: Int32.self) ?? 0
            return childPID > 0
        }
        #expect(running, "the run never started: \(first.output())")
        kill(first.pid, SIGKILL)
        #expect(try waitForExit(first) == 128 + SIGKILL)
        // The command died with its scheduler (PR_SET_PDEATHSIG), rather than running on unwatched.
        #expect(eventually(10) { isGone(childPID) }, "job command \(childPID) outlived its SIGKILLed scheduler")
        #expect(try statuses("simulate") == ["running"])

        // The next scheduler marks it abandoned once the 2 s lease has expired, and does not re-run it early.
        let second = try startScheduler(["--lease", "2"])
        #expect(try eventually { try statuses("simulate") == ["abandoned"] })
        usleep(500_000)
        #expect(try statuses("simulate") == ["abandoned"])
        // Its next time comes: it runs again, to success.
        try makeDue()
        let rerun = try eventually(120) { try statuses("simulate") == ["abandoned", "succeeded"] }
        #expect(rerun, "\((try? statuses("simulate")) ?? [])")
        kill(second.pid, SIGTERM)
        #expect(try waitForExit(second) == 0)
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func twoSchedulerProcessesRunEachDueJobOnceAndStopCleanlyOnSIGTERM() throws {
        let names = (1...3).map { "status-\($0)" }
        for name in names { try add(name, ["db", "status"]) }
        try makeDue()
        let schedulers = try [startScheduler(), startScheduler()]
        #expect(try eventually { try names.allSatisfy { try statuses($0) == ["succeeded"] } })
        usleep(1_000_000)  // time for a duplicate to show, if there were one
        for s in schedulers { kill(s.pid, SIGTERM) }
        for s in schedulers { #expect(try waitForExit(s) == 0, "\(s.output())") }
        for name in names { #expect(try statuses(name) == ["succeeded"]) }
        let log = schedulers.map { $0.output() }.joined()
        #expect(log.components(separatedBy: "\"event\":\"finished\"").count - 1 == names.count, "\(log)")
    }

    @Test func sigtermLetsTheRunningJobFinishThenExitsZero() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ail-jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: out); try? FileManager.default.removeItem(atPath: out.replacingOccurrences(of: ".ndjson", with: ".truth.json")) }
        try add("simulate", ["simulate", "--developers", "20", "--days", "60", "--seed", "3", "--out", out])
        try makeDue()
        let scheduler = try startScheduler(["--grace", "300"])
        #expect(try eventually { try statuses("simulate") == ["running"] })
        kill(scheduler.pid, SIGTERM)
        #expect(try waitForExit(scheduler, seconds: 300) == 0)
        #expect(try statuses("simulate") == ["succeeded"])
    }
}
