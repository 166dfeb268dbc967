// ail-bench: benchmarks run by `make bench`. Each section compares ail with a peer tool in the
// same run and prints the ratio. Sections read AIL_BENCH_DSN (a database they may fill) where
// they need PostgreSQL.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let sections: [String: ([String]) throws -> Void] = [
    "copy": runCopyBenchmark,
    "ingest": runIngestBenchmark,
    "numerics": { try runNumericsBenchmark(arguments: $0) },
    "data": { try runDataBenchmark(arguments: $0) },
    "mine": { try runMineBenchmark(arguments: $0) },
    "models": { try runModelsBenchmark(arguments: $0) },
    "insights": { try runInsightsBenchmark(arguments: $0) },
    "nab": { try runNABBenchmark(arguments: $0) },
    "forecast": { try runForecastBenchmark(arguments: $0) },
]
guard let name = arguments.first, let section = sections[name] else {
    print("usage: ail-bench SECTION [options]   (sections: \(sections.keys.sorted().joined(separator: ", ")))")
    exit(64)
}
do {
    try section(Array(arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("ail-bench \(name) failed: \(error)\n".utf8))
    exit(1)
}
