import Foundation
import Statistics

/// `ail-bench forecast [--ail PATH]`: ail's automatic ETS against statsforecast's AutoETS on the monthly and
/// quarterly series bundled in statsmodels' package (written once by `bench/forecast_peer.py
/// write` to `.bench/forecast/`, so both sides read the same files). Holdout: the last 18
/// monthly / 8 quarterly points (M-competition convention), period 12 / 4. Per series and on
/// average: holdout MASE (scaled by the training set's in-sample seasonal-naive MAE, as in M4),
/// empirical coverage of the 80% and 95% intervals, and the time for the whole set, each side
/// timed after a warm-up pass: ail as a user runs it (one `ail forecast --data FILE --period P
/// --horizon H --format json` process per series; the library calls in process are printed too),
/// AutoETS in one Python process after its numba warm-up. `--ail` names the `ail` executable
/// (default: the one next to ail-bench).
func runForecastBenchmark(arguments: [String]) throws {
    let root = FileManager.default.currentDirectoryPath
    try Bench.run("/bin/bash", ["\(root)/bench/setup_forecast_venv.sh"])
    let python = "\(root)/.venv-bench/bin/python", script = "\(root)/bench/forecast_peer.py"
    let folder = "\(root)/.bench/forecast"
    try Bench.run(python, [script, "write", folder])
    let series = try JSONDecoder().decode([BenchSeries].self, from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/series.json")))
    let ail = Bench.option("--ail", in: arguments)
        ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ail").path
    guard FileManager.default.isExecutableFile(atPath: ail) else {
        throw BenchForecastError("no ail executable next to ail-bench (\(ail)); build both products")
    }
    print("Forecast benchmark: \(series.count) series from statsmodels' bundled datasets (\(series.filter { $0.period == 12 }.count) monthly, h 18; \(series.filter { $0.period == 4 }.count) quarterly, h 8)")

    // Warm-up pass of the command, which also gives the forecasts (seeded: the timed pass prints the same).
    var ailForecasts: [String: BenchForecast] = [:]
    for s in series { ailForecasts[s.name] = try ailForecast(ail, s) }
    var ailSeconds = 0.0, ailPeak = 0.0
    for s in series {
        let run = try Bench.timedChild(ail, commandArguments(s))
        ailSeconds += run.seconds
        ailPeak = max(ailPeak, run.peakMB)
    }
    let librarySeconds = try Bench.time {
        for s in series {
            let fit = try ETS.select(s.train, period: s.period)[0]
            _ = try fit.forecast(horizon: s.horizon)
        }
    }
    let peer = try Bench.peer(python, script: script, ["run", folder])
    let peerForecasts = try JSONDecoder().decode([String: BenchForecast].self,
                                                 from: Data(contentsOf: URL(fileURLWithPath: "\(folder)/peer_forecasts.json")))

    func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    print(pad("series", 16) + pad("n", 5) + pad("ail model", 12) + pad("AutoETS", 13) + "MASE ail  AutoETS   cov80 ail/Auto  cov95 ail/Auto")
    var scores: [(ail: BenchScore, peer: BenchScore)] = []
    for s in series {
        guard let a = ailForecasts[s.name], let p = peerForecasts[s.name] else { throw BenchForecastError("no forecast for \(s.name)") }
        let pair = (ail: BenchScore(a, s), peer: BenchScore(p, s))
        scores.append(pair)
        print(pad(s.name, 16) + pad("\(s.train.count)", 5) + pad(a.model, 12) + pad(p.model, 13)
              + String(format: "%8.3f %8.3f   %5.2f / %4.2f    %5.2f / %4.2f", pair.ail.mase, pair.peer.mase,
                       pair.ail.coverage80, pair.peer.coverage80, pair.ail.coverage95, pair.peer.coverage95))
    }
    func mean(_ f: (BenchScore) -> Double, _ side: KeyPath<(ail: BenchScore, peer: BenchScore), BenchScore>) -> Double {
        scores.map { f($0[keyPath: side]) }.reduce(0, +) / Double(scores.count)
    }
    let mase = (mean(\.mase, \.ail), mean(\.mase, \.peer))
    let gap80 = (mean({ abs($0.coverage80 - 0.8) }, \.ail), mean({ abs($0.coverage80 - 0.8) }, \.peer))
    let gap95 = (mean({ abs($0.coverage95 - 0.95) }, \.ail), mean({ abs($0.coverage95 - 0.95) }, \.peer))
    let wins = scores.filter { $0.ail.mase <= $0.peer.mase }.count
    print(String(format: "mean MASE: ail %.3f, AutoETS %.3f (ratio ail/AutoETS %.3f); ail no worse on %d of %d series",
                 mase.0, mase.1, mase.0 / mase.1, wins, scores.count))
    print(String(format: "mean |coverage - nominal|: 80%%: ail %.3f, AutoETS %.3f; 95%%: ail %.3f, AutoETS %.3f",
                 gap80.0, gap80.1, gap95.0, gap95.1))
    print(String(format: "mean coverage: 80%%: ail %.3f, AutoETS %.3f; 95%%: ail %.3f, AutoETS %.3f",
                 mean(\.coverage80, \.ail), mean(\.coverage80, \.peer), mean(\.coverage95, \.ail), mean(\.coverage95, \.peer)))
    print(String(format: "time for the set (after a warm-up pass): ail commands %.3f s (%d processes, peak %.0f MB), ail library in process %.3f s; AutoETS %.3f s (peak %.0f MB)",
                 ailSeconds, series.count, ailPeak, librarySeconds, peer.seconds, peer.peakMB))
    print(String(format: "ratios: MASE ail/AutoETS %.3f (goal <= 1); coverage gap ail/AutoETS 80%% %.2f, 95%% %.2f (goal < 1); time AutoETS/ail commands %.2f, AutoETS/ail library %.2f (goal >= 1)",
                 mase.0 / mase.1, gap80.0 / gap80.1, gap95.0 / gap95.1, peer.seconds / ailSeconds, peer.seconds / librarySeconds))
}

private func commandArguments(_ s: BenchSeries) -> [String] {
    ["forecast", "--data", s.file, "--time", "date", "--value", "value", "--period", "\(s.period)",
     "--horizon", "\(s.horizon)", "--format", "json"]
}

/// Runs the command once with its output captured and reads the forecast from its JSON.
private func ailForecast(_ ail: String, _ s: BenchSeries) throws -> BenchForecast {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ail)
    process.arguments = commandArguments(s)
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchForecastError("ail forecast on \(s.file) exited with \(process.terminationStatus)") }
    let report = try JSONDecoder().decode(CommandReport.self, from: data)
    func bound(_ level: Double, upper: Bool) -> [Double] {
        report.forecast.map { row in
            let i = row.intervals.first { abs($0.level - level) < 1e-9 }
            return upper ? i?.upper ?? .nan : i?.lower ?? .nan
        }
    }
    return BenchForecast(model: report.code, mean: report.forecast.map(\.mean),
                         lo80: bound(80, upper: false), hi80: bound(80, upper: true),
                         lo95: bound(95, upper: false), hi95: bound(95, upper: true))
}

private struct BenchForecastError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One series as `forecast_peer.py write` stores it.
private struct BenchSeries: Decodable {
    let name: String
    let period: Int
    let horizon: Int
    let file: String
    let train: [Double]
    let holdout: [Double]
}

/// The part of `ail forecast --format json` the benchmark reads.
private struct CommandReport: Decodable {
    struct Interval: Decodable { let level: Double; let lower: Double; let upper: Double }
    struct Row: Decodable { let mean: Double; let intervals: [Interval] }
    let code: String
    let forecast: [Row]
}

/// A forecast with its 80% and 95% bounds (the peer writes this shape too).
private struct BenchForecast: Decodable {
    let model: String
    let mean: [Double]
    let lo80: [Double]
    let hi80: [Double]
    let lo95: [Double]
    let hi95: [Double]
}

/// Holdout MASE and interval coverage of one forecast.
private struct BenchScore {
    let mase: Double
    let coverage80: Double
    let coverage95: Double

    init(_ f: BenchForecast, _ s: BenchSeries) {
        let m = s.period
        let naive = (m..<s.train.count).map { abs(s.train[$0] - s.train[$0 - m]) }.reduce(0, +) / Double(s.train.count - m)
        let h = Double(s.holdout.count)
        mase = zip(s.holdout, f.mean).map { abs($0 - $1) }.reduce(0, +) / h / naive
        func coverage(_ lo: [Double], _ hi: [Double]) -> Double {
            Double(s.holdout.indices.filter { lo[$0] <= s.holdout[$0] && s.holdout[$0] <= hi[$0] }.count) / h
        }
        coverage80 = coverage(f.lo80, f.hi80)
        coverage95 = coverage(f.lo95, f.hi95)
    }
}
