import ArgumentParser
import Foundation
import Testing
import TestSupport
@testable import AILCommandLine

/// `ail learning generate-insights` and `ail insights`: options refused with the field named, and
/// a run on a database with no events writes a run row and no insight.
@Suite struct InsightsCommandTests {
    static func refusal(_ arguments: [String]) -> String {
        do {
            _ = try AIL.parseAsRoot(arguments)
            return "accepted"
        } catch {
            return AIL.message(for: error)
        }
    }

    @Test func badOptionsAreRefusedByName() {
        #expect(Self.refusal(["learning", "generate-insights", "--fdr", "1.5"]).contains("--fdr must be in (0, 1)"))
        #expect(Self.refusal(["learning", "generate-insights", "--fdr", "0"]).contains("--fdr"))
        #expect(Self.refusal(["learning", "generate-insights", "--since", "yesterday"]).contains("--since must be a date"))
        #expect(Self.refusal(["learning", "generate-insights", "--expire-runs", "0"]).contains("--expire-runs"))
        #expect(Self.refusal(["insights", "--category", "bogus"]).contains("--category must be one of"))
        #expect(Self.refusal(["insights", "--min-confidence", "1.2"]).contains("--min-confidence"))
        #expect(Self.refusal(["insights", "--limit", "0"]).contains("--limit"))
        #expect(Self.refusal(["learning", "generate-insights", "--since", "2026-03-01", "--fdr", "0.05"]) == "accepted")
    }

    @Test func emptyDatabaseGivesARunAndNoInsight() throws {
        let db = try TestDatabase.create()
        var generate = try #require(try AIL.parseAsRoot(["learning", "generate-insights", "--dsn", db.dsn, "--format", "json"]) as? GenerateInsights)
        try generate.run()
        var list = try #require(try AIL.parseAsRoot(["insights", "--dsn", db.dsn]) as? InsightsCommand)
        try list.run()
        let c = try db.connect()
        let runs = try c.execute("SELECT count(*), sum(hypotheses), sum(insights) FROM ai_insight_runs")
        #expect(try runs[0].value(0, as: Int.self) == 1)
        #expect(try runs[0].value(1, as: Int.self) == 0 && runs[0].value(2, as: Int.self) == 0)
        #expect(try c.execute("SELECT count(*) FROM ai_performance_insights")[0].value(0, as: Int.self) == 0)
    }
}
