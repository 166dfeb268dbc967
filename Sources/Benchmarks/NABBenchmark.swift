import Foundation
import Statistics

/// `ail-bench nab [REFDATA_NAB_DIR]` (`make nab`): the anomaly detector on every series of the
/// NAB copy in `../shared/refdata/nab`, batch and `--online`, scored with NAB's standard profile.
/// Prints per series the windows detected, the false alarms and the normalised score, then the
/// corpus score beside NAB's published full-corpus figures (58 series; this copy holds a subset,
/// so the comparison is indicative only).
func runNABBenchmark(arguments: [String]) throws {
    let root = URL(fileURLWithPath: arguments.first ?? "../shared/refdata/nab")
    let windowsData = try Data(contentsOf: root.appendingPathComponent("combined_windows_subset.json"))
    guard let labelled = try JSONSerialization.jsonObject(with: windowsData) as? [String: [[String]]] else {
        throw NumericsError(.invalidData, "combined_windows_subset.json: expected {series: [[start, end], …]}")
    }
    let costs = try standardProfile(root.appendingPathComponent("profiles.json"))
    for online in [false, true] {
        print("\n\(online ? "online (causal)" : "batch (looks ahead)") — NAB standard profile (tp \(costs.tpWeight), fp \(costs.fpWeight), fn \(costs.fnWeight))")
        print("series".padding(toLength: 58, withPad: " ", startingAt: 0) + "  rows period windows detected false_alarms   score")
        var scores: [NABScore.SeriesScore] = []
        for name in labelled.keys.sorted() {
            let series = try TimeSeriesCSV.read(path: root.appendingPathComponent("data").appendingPathComponent(name).path, time: "timestamp", value: "value", sorted: false)
            let windows = try NABEvaluation.windows(labelled[name] ?? [], in: series, name: name)
            let result = NABEvaluation.evaluate(series, windows: windows, online: online, costs: costs)
            scores.append(result.score)
            let s = result.score
            print(name.padding(toLength: 58, withPad: " ", startingAt: 0)
                  + String(format: "%6d %6d %7d %8d %12d %7.1f", series.values.count, result.period, s.windows, s.detectedWindows, s.falsePositives, s.normalized))
        }
        print(String(format: "corpus score (%d series): %.1f", scores.count, NABScore.normalized(scores)))
    }
    print("\nPublished NAB standard-profile scores on the full 58-series corpus, for reference:")
    print("  Twitter S-H-ESD 47.1, Skyline 58.2, Numenta HTM 70.1, ARTime 74.9")
}

private func standardProfile(_ url: URL) throws -> NABScore.CostMatrix {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    guard let standard = object?["standard"] as? [String: Any], let m = standard["CostMatrix"] as? [String: Double],
          let tp = m["tpWeight"], let fp = m["fpWeight"], let fn = m["fnWeight"], let tn = m["tnWeight"] else {
        throw NumericsError(.invalidData, "profiles.json: no standard.CostMatrix with tpWeight, fpWeight, fnWeight, tnWeight")
    }
    return NABScore.CostMatrix(tpWeight: tp, fpWeight: fp, fnWeight: fn, tnWeight: tn)
}
