import Foundation
import Store
import TestSupport
import Testing

extension JobsCommandTests {
    /// The satisfaction forecast as a scheduled job: `ail jobs add` accepts it, `ail jobs list`
    /// lists it, and a run refreshes satisfaction_metrics from user_feedback and forecasts (exit 0).
    @Test func satisfactionForecastRunsAsAJob() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ail-jobs-\(UUID().uuidString).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: file); try? FileManager.default.removeItem(atPath: file.replacingOccurrences(of: ".ndjson", with: ".truth.json")) }
        #expect(try ChildProcess.run([ail, "simulate", "--developers", "8", "--days", "21", "--seed", "5", "--out", file], environment: environment, allowFailure: true).status == 0)
        #expect(try run("ingest", file).status == 0)
        let added = try run("jobs", "add", "satisfaction-forecast", "--schedule", "30 2 * * *", "--", "forecast", "satisfaction", "--days", "7", "--format", "json")
        #expect(added.status == 0, "\(added.output)")
        let job = try #require((try json(try run("jobs", "list", "--format", "json"))["jobs"] as? [[String: Any]])?.first)
        #expect(job["name"] as? String == "satisfaction-forecast")
        #expect(job["command"] as? [String] == ["forecast", "satisfaction", "--days", "7", "--format", "json"])
        let c = try database.connect()
        #expect(try c.execute("SELECT count(*) FROM satisfaction_metrics").first?.value(0, as: Int.self) == 0)
        let ran = try json(try run("jobs", "run", "satisfaction-forecast", "--format", "json"))
        #expect(ran["status"] as? String == "succeeded" && ran["exit_code"] as? Int == 0, "\(ran)")
        let days = try c.execute("SELECT count(DISTINCT (created_at AT TIME ZONE 'UTC')::date)::int FROM user_feedback").first?.value(0, as: Int.self) ?? -1
        #expect(try c.execute("SELECT count(*)::int FROM satisfaction_metrics WHERE ratings_count > 0").first?.value(0, as: Int.self) == days)
    }
}
