import Foundation
import Statistics
import Primitives

/// `ail-bench numerics [--reps N] [--quick]`: ail vs statsmodels / scikit-learn on the same data.
func runNumericsBenchmark(arguments: [String]) throws {
    var reps = 3
    var scale = 1
    var i = 0
    while i < arguments.count {
        if arguments[i] == "--reps", i + 1 < arguments.count { reps = Int(arguments[i + 1]) ?? 3; i += 1 }
        if arguments[i] == "--quick" { scale = 10 }
        i += 1
    }
    let root = FileManager.default.currentDirectoryPath
    let setup = Process()
    setup.executableURL = URL(fileURLWithPath: "/bin/bash")
    setup.arguments = ["\(root)/bench/setup_venv.sh"]
    try setup.run(); setup.waitUntilExit()
    print("numerics benchmark (reps \(reps), median; OPENBLAS_CORETYPE=\(ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "unset"))")
    let cases = [("logistic", 1_000_000 / scale, 20), ("logistic", 100_000 / scale, 200), ("ols", 1_000_000 / scale, 20)]
    // AIL_BENCH_CASES=1 runs only the first case (for profiling); peers are skipped with AIL_BENCH_ONLY_AIL=1
    let only = Int(ProcessInfo.processInfo.environment["AIL_BENCH_CASES"] ?? "") ?? cases.count
    for (kind, n, p) in cases.prefix(only) {
        try benchCase(kind: kind, n: n, p: p, reps: reps, root: root)
    }
}

private func peakRSSMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

private func benchCase(kind: String, n: Int, p: Int, reps: Int, root: String) throws {
    var rng = SplitMix64(seed: 20_261_126)
    var values = [Double](repeating: 0, count: n * p)
    for k in 0..<(n * p) { values[k] = rng.normal() }
    let x = try Matrix(rows: n, columns: p, columnMajor: values)
    values = []
    let truth = (0..<p).map { j in 0.5 * sin(Double(j + 1)) / Double(p).squareRoot() * 3 }
    let eta = try x.multiplied(by: truth)
    let y: [Double] = kind == "logistic"
        ? eta.map { rng.uniform() < 1 / (1 + exp(-(0.3 + $0))) ? 1 : 0 }
        : eta.map { 1 + $0 + rng.normal() }
    let dir = "\(root)/.bench/numerics"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    // written without a temporary copy of the design, so the process peak before the fit is
    // the design plus small vectors and the fit's own growth shows in "fit added"
    try x.storage.withUnsafeBufferPointer { buf in
        guard let base = buf.baseAddress else { return }
        let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buf.count * 8, deallocator: .none)
        try bytes.write(to: URL(fileURLWithPath: "\(dir)/X.f64"))
    }
    try y.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: "\(dir)/y.f64")) }
    let designMB = Double(n * p * 8) / 1_048_576
    let baseRSS = peakRSSMB()

    var times: [Double] = []
    var coef: [Double] = []
    var iterations = 0
    for _ in 0..<reps {
        let t0 = Date()
        if kind == "logistic" {
            var options = LogisticRegressionOptions()
            options.threads = Int(ProcessInfo.processInfo.environment["AIL_BENCH_THREADS"] ?? "")
            let fit = try LogisticRegression.fit(x: x, y: y, options: options)
            coef = fit.coefficients; iterations = fit.iterations
            _ = fit.terms
        } else {
            let fit = try LinearRegression.fit(x: x, y: y)
            coef = fit.coefficients; iterations = 1
        }
        times.append(Date().timeIntervalSince(t0))
    }
    let ours = times.sorted()[times.count / 2]
    let ourPeak = peakRSSMB()

    if ProcessInfo.processInfo.environment["AIL_BENCH_ONLY_AIL"] != nil {
        print(String(format: "%@ %d × %d: ail %.3f s (%d iterations), all times %@", kind, n, p, ours, iterations,
                     times.map { String(format: "%.3f", $0) }.joined(separator: " ")))
        return
    }
    let peer = Process()
    peer.executableURL = URL(fileURLWithPath: "\(root)/.venv-bench/bin/python")
    peer.arguments = ["\(root)/bench/numerics_peer.py", kind, dir, String(n), String(p), String(reps)]
    let pipe = Pipe()
    peer.standardOutput = pipe
    try peer.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    peer.waitUntilExit()
    let results = (try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]] ?? [:]

    print("\n\(kind) \(n) × \(p) (+ intercept); design \(String(format: "%.0f", designMB)) MB")
    print("  engine                        seconds   iters  peak RSS MB  max|Δcoef| vs statsmodels   ail speed-up")
    let smKey = kind == "logistic" ? "statsmodels Logit newton" : "statsmodels OLS"
    let smCoef = ((results[smKey]?["coef"] as? [Double]) ?? [])
    let ourDiff = smCoef.count == coef.count ? zip(smCoef, coef).map { abs($0 - $1) }.max() ?? .nan : .nan
    print("  " + "ail (Numerics)".padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %8.3f %7d %12.0f %24.2e", ours, iterations, ourPeak, ourDiff)
          + String(format: "    (RSS before fit %.0f MB, fit added %.0f MB = %.2f× design)", baseRSS, ourPeak - baseRSS, (ourPeak - baseRSS) / designMB))
    for (name, r) in results.sorted(by: { $0.key < $1.key }) {
        let s = r["seconds"] as? Double ?? .nan
        let c = r["coef"] as? [Double] ?? []
        let diff = c.count == smCoef.count ? zip(c, smCoef).map { abs($0 - $1) }.max() ?? .nan : .nan
        print("  " + name.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: " %8.3f %7d %12.0f %24.2e %10.2f×", s, r["iterations"] as? Int ?? 0,
                     r["peak_rss_mb"] as? Double ?? .nan, diff, s / ours))
    }
}
