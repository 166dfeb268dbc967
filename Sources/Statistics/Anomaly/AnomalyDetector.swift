import Foundation

/// Settings of `AnomalyDetector`; the defaults are the documented ones.
public struct AnomalyDetectorOptions: Sendable {
    /// α: the chance of at least one false alarm in a series without anomalies (per detector),
    /// under the baseline's noise model. Each point is flagged when p·m ≤ α (Bonferroni over the
    /// m points tested), so α is a property of the method, never tuned on labels.
    public var falseAlarmRate: Double = 0.01
    /// Seasonal period in points (1: none).
    public var period: Int = 1
    /// Running-median window when there is no season (the period is the window otherwise).
    public var window: Int = 25
    /// Causal mode: the expectation of each point uses only the points before it.
    public var online: Bool = false
    /// Look for lasting level shifts too (batch only: a change point is judged on both sides).
    public var levelShifts: Bool = true

    public init(falseAlarmRate: Double = 0.01, period: Int = 1, window: Int = 25, online: Bool = false, levelShifts: Bool = true) {
        self.falseAlarmRate = falseAlarmRate
        self.period = period
        self.window = window
        self.online = online
        self.levelShifts = levelShifts
    }
}

/// Point anomalies (robust seasonal z-scores, or exact binomial tails for rates) and level
/// shifts (binary segmentation) in one series.
///
/// Point test: z = (x − e)/√(σ² + se²) with e, se and σ from `SeasonalBaseline`; two-sided p
/// from Student's t with the degrees of freedom of the MAD scale (σ is estimated, see
/// `SeasonalBaseline`), which for long series is the normal tail. Flagged points less than one baseline window apart form one episode, reported
/// once with its onset and its most extreme point, so a long excursion is one finding.
public enum AnomalyDetector {
    static let z975 = 1.959963984540054

    /// The anomalies of `x` (NaN = missing, skipped) in order of onset.
    /// `weights` (optional, one per point, e.g. the number of ratings behind a mean) make the
    /// noise of point t σ·√(w̃/w_t), w̃ the median weight, σ estimated from the residuals scaled
    /// by √(w_t/w̃): a mean of 3 ratings is allowed to wander more than a mean of 300.
    public static func detect(_ x: [Double], weights: [Double]? = nil, options: AnomalyDetectorOptions = .init()) -> [AnomalyFinding] {
        let b = options.online ? SeasonalBaseline.fitOnline(x, period: options.period, window: options.window)
                               : SeasonalBaseline.fit(x, period: options.period, window: options.window)
        var factor = [Double](repeating: 1, count: x.count)
        var precision: [Double]? = nil
        if let weights, weights.count == x.count {
            let typical = RobustScale.median(weights.filter { $0 > 0 })
            if typical > 0 {
                precision = weights.map { $0 > 0 ? $0 / typical : .nan }
                factor = weights.map { $0 > 0 ? (typical / $0).squareRoot() : .nan }
                // rescale σ: MAD of the weighted residuals (batch; online keeps its running σ)
                let r = (0..<x.count).map { (x[$0] - b.expected[$0]) / factor[$0] }
                let unit = RobustScale.mad(r)
                if !options.online, unit > 0, let s0 = b.noiseScale.first(where: \.isFinite), s0 > 0 {
                    factor = factor.map { $0 * unit / s0 }
                }
            }
        }
        var tests: [(index: Int, p: Double, z: Double)] = []
        for t in 0..<x.count {
            let e = b.expected[t], s = b.noiseScale[t] * factor[t], se = b.expectedSE[t]
            guard x[t].isFinite, e.isFinite, s.isFinite, s > 0 else { continue }
            let z = (x[t] - e) / (s * s + (se.isFinite ? se * se : 0)).squareRoot()
            tests.append((t, b.twoSidedP(z, at: t), z))
        }
        let name = options.online ? "robust_seasonal_z_online" : "robust_seasonal_z"
        var findings = episodes(tests, gap: b.window, alpha: options.falseAlarmRate, detector: name) { t, p, z, m in
            finding(at: t, x: x[t], baseline: b, z: z, p: p, tests: m)
        }
        if options.levelShifts, !options.online {
            let m = Double(tests.count)
            let flagged = Set(tests.filter { $0.p * m <= options.falseAlarmRate }.map(\.index))
            findings += levelShifts(x, precision: precision, excluding: flagged, baseline: b, alpha: options.falseAlarmRate)
        }
        return findings.sorted { ($0.start, $0.kind.rawValue) < ($1.start, $1.kind.rawValue) }
    }

    /// Anomalies of a rate: `successes[t]` out of `trials[t]` (points with no trials are skipped).
    /// The expected rate is pooled, Σsuccesses/Σtrials over the running window (centred in
    /// batch, the previous rows online; no season: a median of per-bucket rates would be biased
    /// toward 1 by quiet buckets with few trials); a point's p-value is the larger of the
    /// exact two-sided binomial tail at the expected rate and the normal tail of its Pearson
    /// residual over the overdispersion φ = max(1, MAD² of the Pearson residuals), so neither a
    /// quiet hour (3 calls, 1 failure) nor ordinary day-to-day wobble of a busy tool is flagged.
    public static func detectRates(successes: [Double], trials: [Double], options: AnomalyDetectorOptions = .init()) -> [AnomalyFinding] {
        let n = min(successes.count, trials.count)
        let rates = (0..<n).map { trials[$0] > 0 ? successes[$0] / trials[$0] : Double.nan }
        let b = pooledBaseline(successes: Array(successes.prefix(n)), trials: Array(trials.prefix(n)),
                               window: options.period >= 2 ? options.period : options.window, online: options.online)
        let positive = trials.prefix(n).filter { $0 > 0 }
        let eps = 0.5 / (max(1, RobustScale.median(positive)) * Double(b.window))
        func pHat(_ t: Int) -> Double { min(max(b.expected[t], eps), 1 - eps) }
        var pearson: [Int: Double] = [:]
        for t in 0..<n where trials[t] > 0 && b.expected[t].isFinite {
            let p = pHat(t)
            pearson[t] = (successes[t] - trials[t] * p) / (trials[t] * p * (1 - p)).squareRoot()
        }
        let phi = max(1, pow(RobustScale.mad(Array(pearson.values)), 2))
        var tests: [(index: Int, p: Double, z: Double)] = []
        for t in pearson.keys.sorted() {
            let z = pearson[t]! / phi.squareRoot()
            let exact = BinomialTail.twoSided(successes[t], trials: trials[t], probability: pHat(t))
            tests.append((t, max(exact, 2 * Normal.upperTail(abs(z))), z))
        }
        let name = options.online ? "binomial_rate_online" : "binomial_rate"
        return episodes(tests, gap: b.window, alpha: options.falseAlarmRate, detector: name) { t, p, z, m in
            var f = finding(at: t, x: rates[t], baseline: b, z: z, p: p, tests: m)
            let se = (pHat(t) * (1 - pHat(t)) / trials[t] * phi).squareRoot()
            f.expected = pHat(t)
            f.expectedLow = max(0, pHat(t) - z975 * max(se, b.expectedSE[t].isFinite ? b.expectedSE[t] : 0))
            f.expectedHigh = min(1, pHat(t) + z975 * max(se, b.expectedSE[t].isFinite ? b.expectedSE[t] : 0))
            return f
        }
    }

    /// Pooled rates over a running window, with the binomial standard error of the pooled rate.
    static func pooledBaseline(successes k: [Double], trials n: [Double], window: Int, online: Bool) -> SeasonalBaseline {
        let count = k.count, w = max(3, window | 1), h = w / 2
        var ck = [Double](repeating: 0, count: count + 1), cn = ck
        for i in 0..<count { ck[i + 1] = ck[i] + k[i]; cn[i + 1] = cn[i] + n[i] }
        var expected = [Double](repeating: .nan, count: count), se = expected
        for t in 0..<count {
            let (a, b): (Int, Int) = online ? (max(0, t - w), t) : { let s = min(max(0, t - h), max(0, count - w)); return (s, min(count, s + w)) }()
            let trials = cn[b] - cn[a]
            guard trials > 0, !online || t >= w else { continue }
            let p = (ck[b] - ck[a]) / trials
            expected[t] = p
            se[t] = (p * (1 - p) / trials).squareRoot()
        }
        return SeasonalBaseline(expected: expected, expectedSE: se, noiseScale: se, seasonalPart: [Double](repeating: 0, count: count),
                                period: 1, window: w)
    }

    static func finding(at t: Int, x: Double, baseline b: SeasonalBaseline, z: Double, p: Double, tests m: Int) -> AnomalyFinding {
        let se = b.expectedSE[t].isFinite ? b.expectedSE[t] : 0
        let q = min(1, p * Double(m))
        return AnomalyFinding(kind: .point, start: t, peak: t, end: t, points: 1, observed: x, expected: b.expected[t],
                              expectedLow: b.expected[t] - z975 * se, expectedHigh: b.expected[t] + z975 * se,
                              z: z, pValue: p, adjustedPValue: q, tests: m, severity: .low, detector: "")
    }

    /// Flags points with p·m ≤ α and merges flags less than `gap` points apart into episodes.
    static func episodes(_ tests: [(index: Int, p: Double, z: Double)], gap: Int, alpha: Double, detector: String,
                         make: (Int, Double, Double, Int) -> AnomalyFinding) -> [AnomalyFinding] {
        let m = tests.count
        guard m > 0 else { return [] }
        var out: [AnomalyFinding] = []
        var current: AnomalyFinding?
        for test in tests {
            let q = min(1, test.p * Double(m))
            guard let severity = AnomalySeverity.of(adjustedP: q, alpha: alpha) else { continue }
            if var c = current, test.index - c.end < max(1, gap) {
                c.end = test.index; c.points += 1
                if test.p < c.pValue {
                    var peak = make(test.index, test.p, test.z, m)
                    peak.start = c.start; peak.end = c.end; peak.points = c.points
                    c = peak
                }
                c.severity = max(c.severity, severity); c.detector = detector
                current = c
            } else {
                if let c = current { out.append(c) }
                var f = make(test.index, test.p, test.z, m)
                f.severity = severity; f.detector = detector
                current = f
            }
        }
        if let c = current { out.append(c) }
        return out
    }

    /// Level shifts of the deseasonalised series by binary segmentation, points weighted by
    /// their relative `precision` (1/variance; nil: equal). σ is the long-run standard deviation
    /// of the standardised baseline remainder √πₜ·(xₜ − eₜ), leaving out the points the point test
    /// flagged (`excluding`: reported on their own; they would inflate σ), and each shift's z is
    /// referred to Student's t with that estimate's degrees of freedom, Bonferroni over the m
    /// candidate split points (a steady drift is reported as a staircase of shifts).
    static func levelShifts(_ x: [Double], precision: [Double]?, excluding flagged: Set<Int>, baseline b: SeasonalBaseline,
                            alpha: Double) -> [AnomalyFinding] {
        var index: [Int] = [], d: [Double] = [], pi: [Double] = [], remainder: [Double] = []
        for t in 0..<x.count where x[t].isFinite {
            let w = precision.map { $0[t] } ?? 1
            guard w > 0, w.isFinite else { continue }
            index.append(t); d.append(x[t] - b.seasonalPart[t]); pi.append(w)
            if b.expected[t].isFinite, !flagged.contains(t) { remainder.append((x[t] - b.expected[t]) * w.squareRoot()) }
        }
        let (sigma, nu) = BinarySegmentation.longRunDeviation(remainder)
        let m = d.count
        guard sigma.isFinite, nu.isFinite else { return [] }
        let tail = StudentT(degreesOfFreedom: nu)
        return BinarySegmentation.shifts(d, precision: precision == nil ? nil : pi, sigma: sigma, minimumSegment: b.window).compactMap { s in
            let p = 2 * tail.sf(abs(s.z))
            let q = min(1, p * Double(m))
            guard let severity = AnomalySeverity.of(adjustedP: q, alpha: alpha) else { return nil }
            let half = tail.quantile(0.975) * sigma / s.precisionBefore.squareRoot()
            let t = index[s.index]
            return AnomalyFinding(kind: .levelShift, start: t, peak: t, end: index[s.index + s.countAfter - 1], points: s.countAfter,
                                  observed: s.meanAfter + b.seasonalPart[t], expected: s.meanBefore + b.seasonalPart[t],
                                  expectedLow: s.meanBefore + b.seasonalPart[t] - half, expectedHigh: s.meanBefore + b.seasonalPart[t] + half,
                                  z: s.z, pValue: p, adjustedPValue: q, tests: m, severity: severity,
                                  detector: "binary_segmentation")
        }
    }
}
