import Crypto
import Foundation
import Reporting
import Statistics
import Store
import Testing
import TestSupport

/// `ail learning export`: the manifest's counts and checksums match the files and the
/// database, the CSV reads back to the stored values, and the data dictionary carries the
/// column comments.
@Suite struct LearningExportTests {
    @Test func manifestMatchesFilesAndTablesAndCSVReadsBack() throws {
        let c = try SimulatedWorkload.connect()
        // Awkward text in a fresh session: comma, quote, newline, empty string vs NULL.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try LearningExport(c).run(into: folder)
        let names = manifest.tables.map(\.table)
        for table in ["ai_sessions", "ai_interactions", "tool_usage_analytics", "code_generation_events", "user_feedback",
                      "context_awareness_events", "learning_events", "model_performance_metrics", "ai_performance_insights", "satisfaction_metrics"] {
            #expect(names.contains(table), "\(table) not exported")
        }
        #expect(!names.contains("ail_schema_migrations") && !names.contains("scheduled_jobs"))
        for file in manifest.tables {
            let data = try Data(contentsOf: folder.appendingPathComponent(file.file))
            #expect(ExportManifest.sha256(data) == file.sha256, "\(file.file) checksum")
            #expect(data.count == file.bytes)
            #expect(file.rows == (try c.int("SELECT count(*) FROM \(file.table)")), "\(file.table) rows")
            let frame = try DataFrame(csv: String(decoding: data, as: UTF8.self), types: Dictionary(uniqueKeysWithValues: file.columns.map { ($0, .text) }))
            #expect(frame.rowCount == file.rows, "\(file.table): CSV reads back \(frame.rowCount) rows")
            #expect(frame.columnNames == file.columns)
        }
        #expect((manifest.tables.first { $0.table == "ai_interactions" }?.rows ?? 0) > 1000)
        // The manifest on disk is the one returned.
        let onDisk = try JSONDecoder().decode(ExportManifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        #expect(onDisk == manifest)
        let dictionary = try Data(contentsOf: folder.appendingPathComponent("data_dictionary.csv"))
        #expect(ExportManifest.sha256(dictionary) == manifest.dataDictionary.sha256)
        let text = String(decoding: dictionary, as: UTF8.self)
        #expect(text.contains("tool_usage_analytics,tool_name,5,text,no,Tool name as the assistant reports it.\n"))
        #expect(text.contains("code_generation_events,accepted,10,boolean,yes,\"true accepted, false rejected, NULL not yet decided.\"\n"))
    }

    @Test func awkwardValuesRoundTripAndNullStaysDistinctFromEmpty() throws {
        let c = try SimulatedWorkload.empty()
        let awkward = "a, \"quoted\"\nsecond line"
        try c.execute("INSERT INTO ai_sessions (session_id, started_at, task_type, end_feedback_text) VALUES ('s1', '2026-03-01 08:00Z', $1, ''), ('s2', '2026-03-01 09:00Z', NULL, NULL)",
                      [.text(awkward)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try LearningExport(c).run(into: folder)
        let file = try #require(manifest.tables.first { $0.table == "ai_sessions" })
        #expect(file.rows == 2)
        let csv = try String(contentsOf: folder.appendingPathComponent(file.file), encoding: .utf8)
        #expect(csv.contains("\"a, \"\"quoted\"\"\nsecond line\""))
        let frame = try DataFrame(csv: csv, types: ["task_type": .text, "session_id": .text])
        #expect(try frame.column(named: "task_type").text(at: 0) == awkward)
        #expect(try frame.column(named: "session_id").text(at: 1) == "s2")
        // NULL is an empty unquoted field, the empty string a quoted one.
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last { $0.hasPrefix("2,s2,") }.map { !$0.contains("\"\"") } == true)
        #expect(csv.contains(",\"\","))
        // A second export of unchanged data is byte-identical (rows ordered by primary key).
        let again = try LearningExport(c).run(into: folder.appendingPathComponent("again"))
        #expect(again.tables.map(\.sha256) == manifest.tables.map(\.sha256))
    }
}
