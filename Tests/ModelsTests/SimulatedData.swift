import Foundation
import Store
import TestSupport
import Tracking

/// One database per test process holding the default scenario (40 developers, 45 days, seed 7),
/// loaded through the real ingest path; tests that need the data share it and run serialized.
final class SimulatedData: @unchecked Sendable {
    let db: TestDatabase
    let truth: SimulationTruth

    init(developers: Int = 40, days: Int = 45, seed: UInt64 = 7) throws {
        db = try TestDatabase.create()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-models-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        truth = try WorkloadSimulator(developers: developers, days: days, seed: seed).write(to: file)
        let c = try db.connect()
        _ = try BatchIngester(loader: EventLoader(connection: c, pseudonymizer: Pseudonymizer(key: Data("k".utf8)))).ingest(path: file.path)
    }

    nonisolated(unsafe) static var sharedInstance: SimulatedData?
    static let lock = NSLock()

    /// The shared default-scenario database (created on first use).
    static func shared() throws -> SimulatedData {
        lock.lock()
        defer { lock.unlock() }
        if let s = sharedInstance { return s }
        let s = try SimulatedData()
        sharedInstance = s
        return s
    }

    /// A temporary models folder, removed by the caller.
    static func temporaryModelsFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ail-models-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

func logit(_ p: Double) -> Double { log(p / (1 - p)) }
