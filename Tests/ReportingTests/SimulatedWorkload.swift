import Analytics
import Foundation
import Reporting
import Store
import TestSupport
import Tracking

/// One database per test process loaded with a small simulated workload (12 developers, 40
/// days from 2026-01-05, seed 11, the default scenario's two cohorts), shared read-only by the
/// reporting tests.
enum SimulatedWorkload {
    /// The last simulated day, used as `--as-of` (2026-01-05 + 39 days).
    static let lastDay = DayWindow.day("2026-02-13")!

    static let database: Result<TestDatabase, Error> = Result {
        let db = try TestDatabase.create()
        let c = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        _ = try WorkloadSimulator(developers: 12, days: 40, seed: 11).write(to: file)
        _ = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8)))).ingest(path: file.path)
        // The report refreshes satisfaction_metrics (idempotent): done once here, so tests running
        // in parallel (the export's row counts) never see it change.
        _ = try SatisfactionMetrics.refresh(c)
        return db
    }

    static func connect() throws -> Connection { try database.get().connect() }

    /// A fresh (empty, migrated) database for tests that write their own rows.
    static func empty() throws -> Connection { try TestDatabase.create().connect() }
}

extension Connection {
    /// The first column of the first row as a Double (NaN when NULL).
    func double(_ sql: String, _ parameters: [SQLValue] = []) throws -> Double {
        try execute(sql, parameters).first?.value(0, as: Double.self) ?? .nan
    }
    func int(_ sql: String, _ parameters: [SQLValue] = []) throws -> Int {
        try execute(sql, parameters).first?.value(0, as: Int.self) ?? -1
    }
}
