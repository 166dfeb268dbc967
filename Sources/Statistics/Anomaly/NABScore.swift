import Foundation

/// The Numenta Anomaly Benchmark's scoring rules (Lavin & Ahmad 2015; NAB's `sweeper.py` and
/// `runner.py` at commit ea702d7), for detections that are already binary (a detector with a
/// fixed threshold; NAB's own threshold sweep is not run, since ail's thresholds come from a
/// stated false-alarm rate).
///
/// - The first `min(⌊0.15·n⌋, 750)` rows are probationary: detections there are ignored, and a
///   window wholly inside them is not scored.
/// - A detection at row i inside a window [l, r] (row indices) scores
///   tpWeight · σ(−(r − i + 1)/(r − l + 1)) / σ(−1), with the scaled sigmoid
///   σ(y) = 2/(1 + e^{5y}) − 1 (σ(y) = −1 for y ≥ 3); only a window's best (earliest) detection
///   counts, and a window without one scores −fnWeight.
/// - A detection outside every window scores fpWeight · σ(|i − r′|/(w′ − 1)) with r′, w′ the
///   right edge and width of the last window before it, or −fpWeight when there is none.
/// - The raw score is the sum of both; normalised, 100·(raw − null)/(perfect − null) with
///   null the score of a detector that flags nothing (−fnWeight per scored window) and perfect
///   tpWeight per labelled window, each summed over the corpus before dividing, as NAB does.
public enum NABScore {
    /// A scoring profile's weights (`profiles.json`).
    public struct CostMatrix: Sendable, Codable, Equatable {
        public var tpWeight: Double, fpWeight: Double, fnWeight: Double, tnWeight: Double
        public init(tpWeight: Double, fpWeight: Double, fnWeight: Double, tnWeight: Double) {
            self.tpWeight = tpWeight; self.fpWeight = fpWeight; self.fnWeight = fnWeight; self.tnWeight = tnWeight
        }
        /// NAB's standard profile.
        public static let standard = CostMatrix(tpWeight: 1, fpWeight: 0.11, fnWeight: 1, tnWeight: 1)
    }

    /// One series' result.
    public struct SeriesScore: Sendable, Equatable {
        public var raw: Double
        /// −fnWeight per window that is scored (not wholly probationary).
        public var null: Double
        /// tpWeight per labelled window.
        public var perfect: Double
        public var windows: Int
        public var detectedWindows: Int
        /// Detections outside every window, after the probationary rows.
        public var falsePositives: Int
        /// 100·(raw − null)/(perfect − null) for this series alone.
        public var normalized: Double { perfect == null ? 0 : 100 * (raw - null) / (perfect - null) }
    }

    /// 2/(1 + e^{5y}) − 1, and −1 from y = 3 on.
    public static func scaledSigmoid(_ y: Double) -> Double {
        y >= 3 ? -1 : 2 / (1 + exp(5 * y)) - 1
    }

    /// NAB's probationary length for a series of `rows` rows.
    public static func probationaryLength(rows: Int, percent: Double = 0.15) -> Int {
        Int(min((percent * Double(rows)).rounded(.down), percent * 5000))
    }

    /// Scores detections (row indices) against windows (inclusive row ranges, in time order).
    public static func score(rows: Int, detections: [Int], windows: [ClosedRange<Int>], costs: CostMatrix = .standard) -> SeriesScore {
        let probation = probationaryLength(rows: rows)
        let maxTP = scaledSigmoid(-1)
        let flagged = Set(detections.filter { $0 >= probation && $0 < rows })
        var best = [Double?](repeating: nil, count: windows.count)
        var scored = [Bool](repeating: false, count: windows.count)
        var fpTotal = 0.0, falsePositives = 0
        var w = 0                                  // next window not yet passed
        var previous: ClosedRange<Int>?
        for i in 0..<rows {
            while w < windows.count, windows[w].upperBound < i { previous = windows[w]; w += 1 }
            let inside = w < windows.count && windows[w].contains(i)
            if inside, i >= probation { scored[w] = true }
            guard flagged.contains(i) else { continue }
            if inside {
                let win = windows[w]
                let position = -Double(win.upperBound - i + 1) / Double(win.count)
                let s = scaledSigmoid(position) * costs.tpWeight / maxTP
                best[w] = max(best[w] ?? -.infinity, s)
            } else {
                let position = previous.map { Double(abs($0.upperBound - i)) / Double($0.count - 1) } ?? 3
                fpTotal += scaledSigmoid(position) * costs.fpWeight
                falsePositives += 1
            }
        }
        var raw = fpTotal, null = 0.0, detected = 0
        for k in windows.indices where scored[k] {
            null -= costs.fnWeight
            if let b = best[k] { raw += b; detected += 1 } else { raw -= costs.fnWeight }
        }
        return SeriesScore(raw: raw, null: null, perfect: Double(windows.count) * costs.tpWeight,
                           windows: windows.count, detectedWindows: detected, falsePositives: falsePositives)
    }

    /// The corpus score: 100·(Σraw − Σnull)/(Σperfect − Σnull).
    public static func normalized(_ series: [SeriesScore]) -> Double {
        let raw = series.reduce(0) { $0 + $1.raw }, null = series.reduce(0) { $0 + $1.null }
        let perfect = series.reduce(0) { $0 + $1.perfect }
        return perfect == null ? 0 : 100 * (raw - null) / (perfect - null)
    }
}
