import Analytics
import Foundation
import Statistics
import Store
import Primitives

/// `ail-bench data [--rows N] [--pg-rows N]`: the data path of `ail fit` against the Python
/// stack in the same run — a 300,000 × 20 numeric CSV (17 significant digits) fitted end to end
/// (`ail fit logistic` vs pandas.read_csv + statsmodels Logit), loaded alone (ail's CSV reader
/// vs polars.read_csv), and a 1,000,000 × 20 PostgreSQL table fitted end to end (`ail fit
/// logistic --table` vs psycopg2 + pandas.read_sql + statsmodels). Peers run from
/// `.venv-bench` (bench/setup_venv.sh) through bench/data_peer.py.
func runDataBenchmark(arguments: [String]) throws {
    let rows = Int(Bench.option("--rows", in: arguments) ?? "") ?? 300_000
    let pgRows = Int(Bench.option("--pg-rows", in: arguments) ?? "") ?? 1_000_000
    let root = FileManager.default.currentDirectoryPath
    try Bench.run("/bin/bash", ["\(root)/bench/setup_venv.sh"])
    let python = "\(root)/.venv-bench/bin/python"
    let ail = "\(root)/.build/release/ail"
    let dir = "\(root)/.bench/data"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let predictors = 19
    let formula = "y ~ " + (1...predictors).map { "x\($0)" }.joined(separator: " + ")

    // --- CSV: rows × 20 columns (y and 19 predictors), 17 significant digits
    let csv = "\(dir)/fit.csv"
    var rng = SplitMix64(seed: 20_261_130)
    var text = "y," + (1...predictors).map { "x\($0)" }.joined(separator: ",") + "\n"
    _ = FileManager.default.createFile(atPath: csv, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: csv))
    for r in 0..<rows {
        let x = (0..<predictors).map { _ in rng.normal() }
        let eta = 0.3 + x.enumerated().reduce(0) { $0 + $1.element * 0.4 * sin(Double($1.offset + 1)) }
        let y = rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
        text += "\(y)," + x.map { String(format: "%.17g", $0) }.joined(separator: ",") + "\n"
        if r % 10_000 == 9_999 { out.write(Data(text.utf8)); text = "" }
    }
    out.write(Data(text.utf8)); out.closeFile()
    let fileMB = Double((try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0) / 1_048_576
    let payloadMB = Double(rows * (predictors + 1) * 8) / 1_048_576
    print(String(format: "data benchmark: CSV %d × %d (%.0f MB file, %.0f MB numeric payload)", rows, predictors + 1, fileMB, payloadMB))

    let ailFit = try Bench.timedChild(ail, ["fit", "logistic", "--data", csv, "--formula", formula, "--format", "json"])
    let peerFit = try Bench.peer(python, script: "\(root)/bench/data_peer.py", ["csv", csv])
    print(String(format: "  fit end to end: ail %.3f s (peak %.0f MB; goal ≤ 2× payload + file = %.0f MB)  pandas+statsmodels %.3f s (peak %.0f MB)  → %.1f× (goal ≥ 5)",
                 ailFit.seconds, ailFit.peakMB, 2 * payloadMB + fileMB, peerFit.seconds, peerFit.peakMB, peerFit.seconds / ailFit.seconds))

    var loads: [Double] = []
    for _ in 0..<3 {
        loads.append(try Bench.time {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: csv), options: .mappedIfSafe)
            let frame = try bytes.withUnsafeBytes { try DataFrame(csvBytes: $0.bindMemory(to: UInt8.self)) }
            precondition(frame.rowCount == rows)
        })
    }
    let polars = try Bench.peer(python, script: "\(root)/bench/data_peer.py", ["polars", csv])
    let load = Bench.median(loads)
    print(String(format: "  load alone (median of 3): ail %.3f s  polars.read_csv (median of 3) %.3f s  → ail/polars %.2f (goal ≤ 1.5)", load, polars.seconds, load / polars.seconds))

    // --- PostgreSQL: pgRows × 20 in a table
    let dsn = try Bench.dsn()
    let connection = try Connection(dsn: dsn)
    try connection.executeScript("DROP TABLE IF EXISTS bench_fit; CREATE TABLE bench_fit (y int, " + (1...predictors).map { "x\($0) float8" }.joined(separator: ", ") + ")")
    try connection.copyIn("COPY bench_fit FROM STDIN (FORMAT binary)") { writer in
        var encoder = BinaryCopyEncoder()
        for r in 0..<pgRows {
            let x = (0..<predictors).map { _ in rng.normal() }
            let eta = 0.3 + x.enumerated().reduce(0) { $0 + $1.element * 0.4 * sin(Double($1.offset + 1)) }
            encoder.beginRow(fieldCount: predictors + 1)
            encoder.append(Int32(rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0))
            for v in x { encoder.append(v) }
            if r % 10_000 == 9_999 { try writer.write(encoder.bytes); encoder.removeAll() }
        }
        encoder.finish()
        try writer.write(encoder.bytes)
    }
    try connection.executeScript("VACUUM ANALYZE bench_fit")
    print("PostgreSQL table bench_fit: \(pgRows) × \(predictors + 1)")
    let ailTable = try Bench.timedChild(ail, ["fit", "logistic", "--table", "bench_fit", "--dsn", dsn, "--formula", formula, "--format", "json"])
    let peerTable = try Bench.peer(python, script: "\(root)/bench/data_peer.py", ["pg", dsn])
    print(String(format: "  fit --table end to end: ail %.3f s (peak %.0f MB)  psycopg2+read_sql+statsmodels %.3f s (peak %.0f MB)  → %.1f× (goal ≥ 5)",
                 ailTable.seconds, ailTable.peakMB, peerTable.seconds, peerTable.peakMB, peerTable.seconds / ailTable.seconds))
}
