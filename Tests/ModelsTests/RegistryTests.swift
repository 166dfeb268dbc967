import Foundation
import Statistics
import Store
import Testing
import TestSupport
@testable import Analytics

/// The registry, the file form, scoring from a saved artifact, the SQL functions, the champion
/// rule, bulk scoring and one model per group, on the shared simulated database.
@Suite(.serialized) struct RegistryTests {
    /// The shared data in a fresh database of its own (the registry tests write versions).
    static func fresh() throws -> (Connection, SimulatedData) {
        let data = try SimulatedData.shared()
        let c = try data.db.connect()
        try c.executeScript("""
            DELETE FROM ail_model_predictions; DELETE FROM ail_model_aliases; DELETE FROM ail_model_versions;
            DELETE FROM model_performance_metrics;
            DROP FUNCTION IF EXISTS ail_predict_tool_failure_row(text);
            """)
        return (c, data)
    }

    @Test func savedArtifactScoresExactlyLikeTheModelInMemory() throws {
        let (c, _) = try Self.fresh()
        let folder = try SimulatedData.temporaryModelsFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let registry = ModelRegistry(connection: c, directory: folder)
        let spec = ModelCatalog.toolFailure
        let table = try FeatureTable(frame: PostgresFrame.read(c, query: spec.query, only: spec.columns), spec: spec)
        let memory = try ModelTrainer.train(spec, table: table)
        let stored = try registry.register(memory)
        #expect(stored.version == "1")
        let file = folder.appendingPathComponent("tool_failure/1.json")
        let fromFile = try ModelArtifact.decode(Data(contentsOf: file))
        let fromDatabase = try registry.artifact("tool_failure", version: 1)
        let rows = (0..<table.rowCount).filter { table.isComplete($0, for: memory.encoding) }
        #expect(rows.count > 10_000)
        let expected = memory.score(table, rows: rows)
        #expect(fromFile.score(table, rows: rows) == expected)
        #expect(fromDatabase.score(table, rows: rows) == expected)
        #expect(fromFile.covariance == memory.covariance)
        // the single-case path gives the same doubles as the frame path
        for (i, r) in rows.prefix(500).enumerated() {
            #expect(try fromFile.predict(table.values(at: r)).value == expected[i])
        }
        // the public entry point: a frame holding just the feature columns (and a key to match rows)
        let frame = try PostgresFrame.read(c, query: spec.query, only: Set(spec.features.map(\.name) + ["row_key"]))
        let byKey = Dictionary(uniqueKeysWithValues: zip(rows.map { table.rowKeys[$0]! }, expected))
        let keys = try frame.column(named: "row_key")
        let viaFrame = try fromFile.score(frame: frame)
        #expect(viaFrame.count == frame.rowCount && viaFrame.allSatisfy { $0 != nil })
        for (r, v) in viaFrame.enumerated() { #expect(v == byKey[keys.text(at: r) ?? ""]) }
        // the index columns: list reads them without the artifact
        let listed = try #require(try registry.list(model: "tool_failure").first)
        #expect(listed.trainingRows == memory.rows.training && listed.primaryMetric == "log_loss")
        #expect(listed.primaryValue == memory.evaluation.logLoss)
    }

    @Test func sqlFunctionAgreesWithSwiftOnEveryStoredRow() throws {
        let (c, _) = try Self.fresh()
        let registry = ModelRegistry(connection: c, directory: nil)
        for spec in [ModelCatalog.toolFailure, ModelCatalog.satisfaction] {
            let outcome = try ModelTraining.trainAndRegister(spec, registry: registry)
            #expect(outcome.decision.promoted)
            let a = outcome.artifact
            let table = try FeatureTable(frame: PostgresFrame.read(c, query: spec.query, only: spec.columns), spec: spec)
            let rows = (0..<table.rowCount).filter { table.isComplete($0, for: a.encoding) }
            let swift = Dictionary(uniqueKeysWithValues: zip(rows.map { table.rowKeys[$0]! }, a.score(table, rows: rows)))
            let args = a.features.map { "q.\($0.name)" + ($0.isNumeric ? "::float8" : "::text") }.joined(separator: ", ")
            let result = try c.execute("SELECT q.row_key, \(SQLScoringFunction.name(spec.name))(\(args)) FROM (\(spec.query)) q")
            var compared = 0, worst = 0.0
            for r in result {
                guard let key: String = try r.value(0), let expected = swift[key] else { continue }
                let sql = try #require(try r.value(1, as: Double.self))
                worst = max(worst, abs(sql - expected) / max(abs(expected), 1e-300))
                compared += 1
            }
            #expect(compared == rows.count, "\(spec.name): every scorable row compared")
            #expect(worst <= 1e-12, "\(spec.name): largest relative difference \(worst)")
            // the row-key form computes the features with the model's own query
            for key in rows.prefix(5).map({ table.rowKeys[$0]! }) {
                let viaKey = try #require(try c.execute("SELECT \(SQLScoringFunction.name(spec.name))_row($1)", [.text(key)]).first?.value(0, as: Double.self))
                #expect(abs(viaKey - swift[key]!) <= 1e-12 * abs(swift[key]!))
            }
        }
        // metrics were written beside their baselines
        let n = try c.execute("SELECT count(*) FROM model_performance_metrics WHERE model_name = 'tool_failure' AND metric_name IN ('log_loss', 'baseline_log_loss', 'auc', 'ece')").first?.value(0, as: Int.self)
        #expect(n == 4)
        // the calibration table: bin counts add up to the evaluation rows, and each bin's observed
        // rate lies in [0, 1] beside its mean prediction
        let version = try #require(try c.execute("SELECT model_version FROM model_performance_metrics WHERE model_name = 'tool_failure' AND metric_name = 'log_loss' ORDER BY id DESC LIMIT 1").first?.text(0))
        let bins = try c.execute("""
            SELECT sum(metric_value) FILTER (WHERE metric_name LIKE 'calibration_bin_%_count'),
                   max(sample_size),
                   count(*) FILTER (WHERE metric_name LIKE 'calibration_bin_%_observed' AND metric_value BETWEEN 0 AND 1),
                   count(*) FILTER (WHERE metric_name LIKE 'calibration_bin_%_predicted')
              FROM model_performance_metrics WHERE model_name = 'tool_failure' AND model_version = $1
            """, [.text(version)]).first
        let binRows = try #require(try bins?.value(0, as: Double.self)), evaluated = try #require(try bins?.value(1, as: Int.self))
        #expect(Int(binRows) == evaluated)
        let observed = try bins?.value(2, as: Int.self), predicted = try bins?.value(3, as: Int.self)
        #expect(observed == predicted && (observed ?? 0) >= 2)
    }

    @Test func worseVersionIsSavedButNotPromotedAndPromoteRollsBack() throws {
        let (c, _) = try Self.fresh()
        let registry = ModelRegistry(connection: c, directory: nil)
        let first = try ModelTraining.trainAndRegister(ModelCatalog.toolFailure, registry: registry)
        #expect(first.decision.promoted)
        var without = TrainingOptions()
        without.excludedFeatures = ["tool_name"]
        let worse = try ModelTraining.trainAndRegister(ModelCatalog.toolFailure, registry: registry, options: without)
        #expect(!worse.decision.promoted, "\(worse.decision.reason)")
        #expect(worse.decision.reason.contains("not promoted"))
        #expect(try registry.championVersion("tool_failure") == 1)
        #expect(try registry.list(model: "tool_failure").count == 2)
        // the SQL function is still version 1's
        let case1 = "'run_tests', 'bugfix', 1::float8, 0::float8, 1::float8, 0::float8, 0::float8, 1::float8"
        func sqlScore() throws -> Double { try c.execute("SELECT ail_predict_tool_failure(\(case1))").first?.value(0, as: Double.self) ?? .nan }
        let values = FeatureValues(text: ["tool_name": "run_tests", "task_type": "bugfix"],
                                   numbers: ["parameter_count": 1, "recent_failures": 0, "ctx_open_files": 1, "ctx_git_status": 0,
                                             "ctx_recent_changes": 0, "ctx_diagnostics": 1])
        #expect(try sqlScore() == (try first.artifact.predict(values).value))
        // an unseen tool scores at the reference in SQL as in Swift, context slopes included
        var unseen = values
        unseen.text["tool_name"] = "brand_new_tool"
        let unseenSQL = try c.execute("SELECT ail_predict_tool_failure('brand_new_tool', 'bugfix', 1::float8, 0::float8, 1::float8, 0::float8, 0::float8, 1::float8)").first?.value(0, as: Double.self)
        #expect(unseenSQL == (try first.artifact.predict(unseen).value))
        // promote (and roll back) moves the alias and the function together
        try registry.promote("tool_failure", version: 2)
        #expect(try registry.championVersion("tool_failure") == 2)
        #expect(try sqlScore() == (try worse.artifact.predict(values).value))
        try registry.promote("tool_failure", version: 1)
        #expect(try sqlScore() == (try first.artifact.predict(values).value))
    }

    @Test func bulkScoringIsIdempotent() throws {
        let (c, data) = try Self.fresh()
        let registry = ModelRegistry(connection: c, directory: nil)
        let a = try ModelTraining.trainAndRegister(ModelCatalog.codeAcceptance, registry: registry).artifact
        let since = a.window.evaluationStartMicros
        let once = try BulkScoring.score(a, connection: c, since: since)
        #expect(once.scored > 100 && once.inserted == once.scored)
        let twice = try BulkScoring.score(a, connection: c, since: since)
        #expect(twice.inserted == 0 && twice.scored == once.scored)
        let stored = try c.execute("SELECT count(*) FROM ail_model_predictions WHERE model_name = 'code_acceptance'").first?.value(0, as: Int.self)
        #expect(stored == once.scored)
        _ = data
    }

    @Test func groupedFitsEqualFittingEachGroupAlone() throws {
        let (c, _) = try Self.fresh()
        let spec = ModelCatalog.codeAcceptance
        let groups = try GroupedTraining.train(spec, by: "language", connection: c)
        #expect(groups.map(\.group) == ["python", "sql", "swift", "typescript"])
        for g in groups {
            let a = try #require(g.artifact, "\(g.group): \(g.reason ?? "")")
            let alone = try FeatureTable(frame: PostgresFrame.read(c, query: "SELECT * FROM (\(spec.query)) q WHERE language = '\(g.group)'", only: spec.columns), spec: spec)
            let b = try ModelTrainer.train(spec, table: alone)
            #expect(a.coefficients.map(\.term) == b.coefficients.map(\.term))
            for (x, y) in zip(a.coefficients, b.coefficients) {
                #expect(abs(x.estimate - y.estimate) <= 1e-9 * max(1, abs(y.estimate)), "\(g.group) \(x.term)")
                #expect(abs(x.stdError - y.stdError) <= 1e-9 * max(1, abs(y.stdError)), "\(g.group) \(x.term)")
            }
            #expect(a.encoding.dropped.contains { $0.term == "language" && $0.reason.contains("single level") })
        }
    }
}
