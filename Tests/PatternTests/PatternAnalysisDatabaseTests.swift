import Foundation
import Statistics
import Store
import Testing
import TestSupport
@testable import Analytics
@testable import Tracking

/// The pattern analysis on simulated workloads: the default scenario's planted tool/context
/// effects must come out as significant contrasts with the right sign after Benjamini–Hochberg;
/// without planted context effects, context attributes give (almost) no discoveries.
@Suite(.serialized) struct PatternAnalysisDatabaseTests {
    /// Simulates `scenario`, ingests it into a fresh database and returns the connection.
    static func load(_ scenario: Scenario, developers: Int, days: Int, seed: UInt64) throws -> Connection {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        let truth = try WorkloadSimulator(scenario: scenario, developers: developers, days: days, seed: seed).write(to: file)
        let summary = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8))))
            .ingest(path: file.path)
        #expect(summary.rejected == 0 && summary.inserted == truth.eventCounts.values.reduce(0, +))
        return c
    }

    static func contrast(_ r: PatternAnalysisResult, _ outcome: String, _ pattern: [String]) -> PatternFinding? {
        r.findings.first { $0.kind == "contrast" && $0.outcome == outcome && $0.pattern == pattern }
    }

    @Test func defaultScenarioRecoversPlantedContextEffectsAndRecordsTheRun() throws {
        let c = try Self.load(.default, developers: 20, days: 60, seed: 7)
        let options = PatternAnalysisOptions()
        let started = Date()
        let r = try PatternAnalysis.run(c, options: options)

        // run_tests fails 45 % with diagnostics context vs 20 % without: lower success with it.
        let diagnostics = try #require(Self.contrast(r, "tool_success:run_tests", ["context=diagnostics"]))
        #expect(diagnostics.significant == true && (diagnostics.qValue ?? 1) < 0.05)
        #expect((diagnostics.effect ?? 0) < 0 && (diagnostics.confHigh ?? 0) < 0, "\(diagnostics)")
        // edit_file fails 25 % without open_files vs 8 % with: higher success with it.
        let openFiles = try #require(Self.contrast(r, "tool_success:edit_file", ["context=open_files"]))
        #expect(openFiles.significant == true && (openFiles.effect ?? 0) > 0 && (openFiles.confLow ?? 0) > 0, "\(openFiles)")
        // acceptance: tests (odds ratio 2) above the rest, migrations (0.4) below
        #expect((Self.contrast(r, "code_accepted", ["generation_type=test"])?.effect ?? 0) > 0)
        #expect(Self.contrast(r, "code_accepted", ["generation_type=migration"])?.significant == true)
        // grep has no context effect planted: its context contrasts are not discoveries
        let grepContext = r.findings.filter { $0.outcome == "tool_success:grep" && $0.pattern.contains { $0.hasPrefix("context=") } }
        #expect(!grepContext.isEmpty && grepContext.allSatisfy { $0.significant == false })

        // the 2×2 table of the diagnostics finding, recounted in SQL
        let counts = try c.execute("""
            WITH u AS (SELECT t.session_id, bool_and(t.success) AS ok,
                              EXISTS (SELECT 1 FROM context_awareness_events e WHERE e.session_id = t.session_id AND e.context_type = 'diagnostics') AS diag
                         FROM tool_usage_analytics t WHERE t.tool_name = 'run_tests' GROUP BY t.session_id)
            SELECT count(*) FILTER (WHERE diag), count(*) FILTER (WHERE diag AND ok), count(*) FROM u
            """)
        #expect(try counts[0].value(0, as: Int.self) == diagnostics.nWith)
        #expect(try counts[0].value(2, as: Int.self) == diagnostics.n)
        #expect(try counts[0].value(1, as: Int.self) == Int(diagnostics.details["positives_with"] ?? -1))

        // BH over everything tested: m is the number of tested findings and q is recomputable
        let tested = r.findings.filter(\.isTested)
        #expect(r.testsCount == tested.count && r.testsCount > 100)
        let q = try BenjaminiHochberg.adjust(tested.map { $0.pValue ?? 1 })
        for (f, expected) in zip(tested, q) { #expect(abs((f.qValue ?? -1) - expected) < 1e-12) }
        #expect(r.discoveries == tested.filter { ($0.qValue ?? 1) <= options.fdr }.count)
        #expect(r.findings.contains { $0.kind == "sequence" } && r.findings.contains { $0.kind == "rule" })

        // error templates: the simulator's timeout message, counted per tool
        let timeout = try #require(r.errorTemplates.first { $0.template == "operation timed out after <NUM> ms" })
        let timeouts = try c.execute("SELECT count(*) FROM tool_usage_analytics WHERE error_message LIKE 'operation timed out after % ms'")
        #expect(timeout.totalCount == (try timeouts[0].value(0, as: Int.self)))
        #expect(timeout.countsByTool.values.reduce(0, +) == timeout.totalCount)
        #expect(timeout.daily.map(\.count).reduce(0, +) == timeout.totalCount)
        #expect(timeout.trendPValue != nil)

        // recorded whole
        let runID = try PatternStore.record(r, options: options, startedAt: started, connection: c)
        let stored = try c.execute("SELECT tests_count, discoveries_count, (SELECT count(*) FROM pattern_findings WHERE run_id = $1), (SELECT count(*) FROM pattern_findings WHERE run_id = $1 AND p_value IS NOT NULL), (SELECT sum(d.count) FROM error_template_daily d JOIN error_templates t ON t.id = d.template_id WHERE t.run_id = $1) FROM pattern_runs WHERE run_id = $1", [.int(runID)])
        #expect(try stored[0].value(0, as: Int.self) == r.testsCount)
        #expect(try stored[0].value(1, as: Int.self) == r.discoveries)
        #expect(try stored[0].value(2, as: Int.self) == r.findings.count)
        #expect(try stored[0].value(3, as: Int.self) == r.testsCount)
        #expect(try stored[0].value(4, as: Int.self) == r.errorTemplates.map(\.totalCount).reduce(0, +))
        let storedDiag = try c.execute("SELECT q_value, conf_high FROM pattern_findings WHERE run_id = $1 AND outcome = 'tool_success:run_tests' AND pattern = '{context=diagnostics}'", [.int(runID)])
        #expect(try storedDiag[0].value(0, as: Double.self) == diagnostics.qValue)
    }

    @Test func withoutPlantedContextEffectsContextGivesFewDiscoveries() throws {
        let scenario = try Scenario.decode(Data(#"{"tool_context_effects": []}"#.utf8))
        #expect(scenario.toolContextEffects.isEmpty)
        let c = try Self.load(scenario, developers: 20, days: 60, seed: 7)
        let r = try PatternAnalysis.run(c, options: PatternAnalysisOptions())
        let contextDiscoveries = r.findings.filter { $0.significant == true && $0.pattern.contains { $0.hasPrefix("context=") } }
        let contextTests = r.findings.filter { $0.isTested && $0.pattern.contains { $0.hasPrefix("context=") } }
        print("no-context-effects scenario: \(r.testsCount) tests, \(r.discoveries) discoveries, \(contextDiscoveries.count) of \(contextTests.count) context tests discovered")
        #expect(contextTests.count > 50)
        #expect(contextDiscoveries.count <= 2, "\(contextDiscoveries.map { "\($0.outcome ?? "") \($0.pattern) q=\($0.qValue ?? 1)" })")
        #expect(Self.contrast(r, "tool_success:run_tests", ["context=diagnostics"])?.significant == false)
        #expect(Self.contrast(r, "tool_success:edit_file", ["context=open_files"])?.significant == false)
    }
}
