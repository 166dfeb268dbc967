import Foundation
import Store
import Testing
import TestSupport
@testable import Analytics

extension RegistryTests {
    /// Tool recommendations: the planted most reliable tools first, a rarely used tool pooled
    /// toward the overall rate, marked uncertain, and never first however lucky it was. (In the
    /// registry suite: it shares its database and must not run beside it.)
    @Test func rareLuckyToolNeverTopsAndIsUncertain() throws {
        let (c, data) = try RegistryTests.fresh()
        let session = try #require(try c.execute("SELECT session_id FROM ai_sessions ORDER BY started_at LIMIT 1").first?.value(0, as: String.self))
        // a tool called three times early on, never failing
        for k in 0..<3 {
            try c.execute("""
                INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, created_at)
                SELECT gen_random_uuid(), $1, 'lucky_tool', true, started_at + make_interval(secs => $2) FROM ai_sessions WHERE session_id = $1
                """, [.text(session), .int(k + 1)])
        }
        defer { _ = try? c.execute("DELETE FROM tool_usage_analytics WHERE tool_name = 'lucky_tool'") }
        let registry = ModelRegistry(connection: c, directory: nil)
        _ = try ModelTraining.trainAndRegister(ModelCatalog.toolFailure, registry: registry)
        let model = try #require(try registry.champion("tool_failure"))
        let (tools, notes) = try ToolRecommender().recommend(model, task: "bugfix", context: [:], top: 10)
        // read_file (2%) and grep (3%) fail least; the others 8–20%
        #expect(Set(tools.prefix(2).map(\.tool)) == ["read_file", "grep"], "\(tools.map(\.tool))")
        let lucky = try #require(tools.first { $0.tool == "lucky_tool" })
        #expect(lucky.uncertain && lucky.rank > 1)
        #expect(notes.contains { $0.contains("empirical-Bayes") })
        // with diagnostics context, run_tests (45% failure) falls below bash (15%)
        let withDiagnostics = try ToolRecommender().recommend(model, task: "bugfix", context: ["ctx_diagnostics": 1], top: 10).tools
        let rank = { (t: String) in withDiagnostics.first { $0.tool == t }?.rank ?? 0 }
        #expect(rank("run_tests") > rank("bash"))
        for t in tools { #expect(t.confLow <= t.success && t.success <= t.confHigh && !t.why.isEmpty) }
        // a task type never seen in training, or an unknown context key, is refused, not ranked
        let task = #expect(throws: ModelsError.self) { try ToolRecommender().recommend(model, task: "nosuchtask", context: [:], top: 3) }
        #expect(task?.code == .unknownName && task?.message.contains("bugfix") == true, "\(String(describing: task))")
        let key = #expect(throws: ModelsError.self) { try ToolRecommender().recommend(model, task: "bugfix", context: ["ctx_colour": 1], top: 3) }
        #expect(key?.code == .unknownName && key?.message.contains("ctx_diagnostics") == true, "\(String(describing: key))")
        _ = data
    }
}
