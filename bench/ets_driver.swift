// The ETS estimator alone over the forecast benchmark's 21 training series: choice, AICc,
// holdout MASE per series and the process CPU time. Built by bench/ets_driver.sh.
import Foundation
let series = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ".bench/forecast/series.json"))) as! [[String: Any]]
let c0 = clock()
var total = 0.0
for s in series {
    let y = s["train"] as! [Double], hold = s["holdout"] as! [Double], m = s["period"] as! Int, h = s["horizon"] as! Int
    let ranked = try ETS.select(y, period: m)
    let fc = try ranked[0].forecast(horizon: h)
    let scale = (m..<y.count).map { abs(y[$0] - y[$0 - m]) }.reduce(0, +) / Double(y.count - m)
    let mase = zip(hold, fc.steps).map { abs($0 - $1.mean) }.reduce(0, +) / Double(h) / scale
    total += mase
    print(s["name"] as! String, ranked[0].spec.code, String(format: "%.3f %.3f", ranked[0].aicc, mase))
}
print(String(format: "CPU %.2f s, mean MASE %.4f", Double(clock() - c0) / Double(CLOCKS_PER_SEC), total / Double(series.count)))
