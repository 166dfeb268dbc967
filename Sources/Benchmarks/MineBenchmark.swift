import Foundation
import Primitives
import Statistics

/// `ail-bench mine [--transactions N] [--reps N]`: FP-Growth on Zipf-like transactions (200 items,
/// 4–12 items each, mean 8) at min support 0.01 and 0.005, against mlxtend and pyfim (Borgelt's
/// C implementation) on the same file in the same run. Counts must agree; prints ail's mining time
/// (parse excluded), the whole `ail mine itemsets` command's time, the peers' mining times and the
/// ratios.
func runMineBenchmark(arguments: [String]) throws {
    let n = Int(Bench.option("--transactions", in: arguments) ?? "") ?? 100_000
    let reps = Int(Bench.option("--reps", in: arguments) ?? "") ?? 3
    let root = FileManager.default.currentDirectoryPath
    try Bench.run("/bin/bash", ["\(root)/bench/setup_mine_venv.sh"])
    let folder = URL(fileURLWithPath: root).appendingPathComponent(".bench/mine")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("zipf-\(n).dat")
    try Data(zipfTransactions(count: n, items: 200, seed: 2026).utf8).write(to: file)
    let transactions = try FIMIReader.parse(Array(try Data(contentsOf: file)))
    print("FP-Growth benchmark: \(n) transactions, 200 items (Zipf, exponent 1), mean length \(String(format: "%.2f", Double(transactions.items.count) / Double(n))); median of \(reps)")
    let ail = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ail").path
    for support in [0.01, 0.005] {
        var found = 0
        let mining = Bench.median(try (0 ..< reps).map { _ in
            try Bench.time { found = try FPGrowth(minimumSupport: .fraction(support)).mine(transactions).count }
        })
        let minCount = try MinimumSupport.fraction(support).minimumCount(transactionCount: n)
        let command = FileManager.default.isExecutableFile(atPath: ail) ? Bench.median(try (0 ..< reps).map { _ in
            try Bench.time { try Bench.run(ail, ["mine", "itemsets", "--data", file.path, "--min-support", "\(support)", "--top", "1"]) }
        }) : .nan
        let peers = try peerResults(root: root, file: file.path, minCount: minCount, reps: reps)
        print("min support \(support) (count >= \(minCount)): ail \(found) itemsets, pyfim \(peers.pyfim.itemsets), mlxtend \(peers.mlxtend.itemsets)"
              + (found == peers.pyfim.itemsets && found == peers.mlxtend.itemsets ? " (identical)" : " (COUNTS DIFFER)"))
        print(String(format: "  ail mining %.3f s, whole command %.3f s; pyfim %.3f s; mlxtend %.3f s", mining, command, peers.pyfim.seconds, peers.mlxtend.seconds))
        print(String(format: "  ail is %.1fx faster than mlxtend; ail / pyfim time = %.2f (goal: >= 20x, <= 1.5)",
                     peers.mlxtend.seconds / mining, mining / peers.pyfim.seconds))
    }
}

private struct PeerRun: Decodable { let itemsets: Int; let seconds: Double }
private struct PeerResults: Decodable { let pyfim: PeerRun; let mlxtend: PeerRun }

private func peerResults(root: String, file: String, minCount: Int, reps: Int) throws -> PeerResults {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "\(root)/.venv-bench/bin/python")
    process.arguments = ["\(root)/bench/mine_peer.py", file, String(minCount), "--reps", String(reps)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return try JSONDecoder().decode(PeerResults.self, from: data)
}

/// FIMI text: each transaction draws a length uniformly in 4…12, then distinct items from a Zipf
/// law (P(item k) ∝ 1/(k+1)) over `items` ids by inverse-CDF sampling, redrawing repeats.
func zipfTransactions(count: Int, items: Int, seed: UInt64) -> String {
    var rng = SplitMix64(seed: seed)
    var cdf: [Double] = []
    var total = 0.0
    for k in 0 ..< items { total += 1 / Double(k + 1); cdf.append(total) }
    cdf = cdf.map { $0 / total }
    var lines: [String] = []
    lines.reserveCapacity(count)
    for _ in 0 ..< count {
        let length = 4 + Int(rng.next() % 9)
        var chosen = Set<Int>()
        while chosen.count < length {
            let u = rng.uniform()
            var lo = 0, hi = items - 1
            while lo < hi { let mid = (lo + hi) / 2; if cdf[mid] < u { lo = mid + 1 } else { hi = mid } }
            chosen.insert(lo)
        }
        lines.append(chosen.sorted().map(String.init).joined(separator: " "))
    }
    return lines.joined(separator: "\n") + "\n"
}
