import Analytics
import Foundation
import Store
import TestSupport
import Tracking

/// Loads a simulated workload into a fresh test database and runs the insights engine on it.
struct InsightHarness {
    let db: TestDatabase
    let connection: Connection
    let truth: SimulationTruth

    init(scenario: Scenario, developers: Int, days: Int, seed: UInt64) throws {
        db = try TestDatabase.create()
        connection = try db.connect()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ail-insights-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("w.ndjson")
        truth = try WorkloadSimulator(scenario: scenario, developers: developers, days: days, seed: seed).write(to: file)
        _ = try BatchIngester(loader: EventLoader(connection: connection, pseudonymizer: Pseudonymizer(key: Data("k".utf8))))
            .ingest(path: file.path)
    }

    /// One engine run over all the data (the window ends after the simulated period).
    func run(fdr: Double = 0.1) throws -> (InsightEngine.Result, FindingContext) {
        let context = FindingContext(connection: connection, since: nil, until: Date(timeIntervalSince1970: 4_102_444_800))
        return (try InsightEngine(sources: InsightSources.all, fdr: fdr).run(context), context)
    }

    /// Directional insights scored against the planted effects. The forecast's threshold
    /// crossing is a prediction about days not simulated, not an effect a truth file plants: it
    /// is left out here and checked by its own planted-trend test.
    static func score(_ insights: [Insight], planted: [PlantedEffect]) -> [(insight: Insight, real: Bool)] {
        insights.filter { $0.direction != .none && $0.source != "forecast" }.map { i in
            (i, planted.contains { $0.matches(kind: i.kind, subject: i.subject, metric: i.metric, direction: i.direction.rawValue) })
        }
    }
}

/// Share of real insights per confidence band.
struct ReliabilityTable {
    static let edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]
    var counts = [Int](repeating: 0, count: edges.count - 1)
    var real = [Int](repeating: 0, count: edges.count - 1)
    var confidenceSum = [Double](repeating: 0, count: edges.count - 1)

    mutating func add(confidence: Double, real isReal: Bool) {
        guard let band = (0..<Self.edges.count - 1).first(where: { confidence >= Self.edges[$0] && confidence < Self.edges[$0 + 1] }) else { return }
        counts[band] += 1
        confidenceSum[band] += confidence
        if isReal { real[band] += 1 }
    }

    var text: String {
        var lines = ["band        insights  mean confidence  share real"]
        for b in counts.indices where counts[b] > 0 {
            let label = String(format: "[%.2f,%.2f)", Self.edges[b], min(1, Self.edges[b + 1]))
            lines.append(label.padding(toLength: 12, withPad: " ", startingAt: 0)
                         + String(format: "%8d  %15.3f  %10.3f", counts[b], confidenceSum[b] / Double(counts[b]), Double(real[b]) / Double(counts[b])))
        }
        return lines.joined(separator: "\n")
    }
}
