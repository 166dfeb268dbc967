import Foundation

/// The expected value of every point of a series, from a robust trend plus a robust seasonal
/// profile, with the standard error of that expectation and the scale of the noise around it.
///
/// **Batch** (`fit`): trend = centred running median over one period (or `window` points when
/// there is no season), seasonal = the median of the detrended values at each phase (centred to
/// median 0), noise σ = 1.4826·MAD of the remainder. The centred median looks ahead `window/2`
/// points, and the phase medians use the whole series.
///
/// **Online** (`fitOnline`): only x[0…t−1] enter the expectation of x[t]: the seasonal part is
/// the median of the same phase in the last (up to) four cycles, the level the median of the
/// last `window` deseasonalised values, and σ the scaled MAD of the last 8·`window` one-step
/// errors (recomputed every `window/8` points).
///
/// The standard error of a median of m normal values is ≈ 1.2533·σ/√m (asymptotic efficiency
/// 2/π), which gives the interval reported for the expected value.
///
/// σ is itself estimated, from k residuals by the MAD, whose asymptotic efficiency for normal
/// data is 0.3675 (Var(σ̂)/σ² ≈ 1.36/k against 1/(2k) for the standard deviation): it carries
/// about as much information about σ as a standard deviation of 0.3675·k values, so a z built
/// on it is referred to Student's t with ν = 0.3675·(k − 1) degrees of freedom
/// (`noiseDegreesOfFreedom`), not the normal: with 90 daily points ν ≈ 33, and the two-sided
/// p of 10⁻⁶ needs |z| ≈ 6.4, not 4.9.
public struct SeasonalBaseline: Sendable {
    /// Expected value per point (NaN where there is not yet enough data, online).
    public let expected: [Double]
    /// Standard error of `expected` per point.
    public let expectedSE: [Double]
    /// Noise scale σ per point (constant in batch).
    public let noiseScale: [Double]
    /// The seasonal part of `expected` per point (batch; zeros online and without a season).
    public let seasonalPart: [Double]
    /// Degrees of freedom of the noise scale per point (empty or infinite: a known scale, normal
    /// tails).
    public var noiseDegreesOfFreedom: [Double] = []
    /// Seasonal period used (1: none).
    public let period: Int
    /// Running-median window in points.
    public let window: Int

    /// Efficiency factor of the median: sd(median of m) ≈ √(π/2)·σ/√m.
    static let medianSEFactor = 1.2533141373155001
    /// Asymptotic efficiency of the MAD as an estimate of σ for normal data (0.5/1.3605).
    static let madEfficiency = 0.3675

    /// Degrees of freedom of a MAD scale from `k` residuals (see the type's notes).
    static func madDegreesOfFreedom(_ k: Int) -> Double { max(1, madEfficiency * Double(k - 1)) }

    /// Two-sided tail probability of `z` for point `t`: Student's t with the scale's degrees of
    /// freedom, or the normal when the scale is taken as known.
    func twoSidedP(_ z: Double, at t: Int) -> Double {
        let nu = t < noiseDegreesOfFreedom.count ? noiseDegreesOfFreedom[t] : .infinity
        return nu.isFinite ? 2 * StudentT(degreesOfFreedom: nu).sf(abs(z)) : 2 * Normal.upperTail(abs(z))
    }

    /// The batch baseline of `x` (NaN values are missing) with `period` (1 for none) and, when
    /// there is no season, a trend window of `window` points.
    public static func fit(_ x: [Double], period: Int, window: Int) -> SeasonalBaseline {
        let n = x.count
        let p = max(1, period)
        let w = p >= 2 ? (p % 2 == 0 ? p + 1 : p) : max(3, window | 1)
        let trend = RobustScale.centredRunningMedian(x, window: w)
        var seasonal = [Double](repeating: 0, count: p)
        var cycles = Double(max(1, n / p))
        if p >= 2 {
            var byPhase = [[Double]](repeating: [], count: p)
            for i in 0..<n where x[i].isFinite && trend[i].isFinite { byPhase[i % p].append(x[i] - trend[i]) }
            seasonal = byPhase.map { RobustScale.median($0) }.map { $0.isFinite ? $0 : 0 }
            let centre = RobustScale.median(seasonal)
            seasonal = seasonal.map { $0 - centre }
            cycles = Double(max(1, byPhase.map(\.count).min() ?? 1))
        }
        var expected = [Double](repeating: .nan, count: n)
        var remainder = [Double](repeating: .nan, count: n)
        for i in 0..<n {
            expected[i] = trend[i] + seasonal[i % p]
            remainder[i] = x[i] - expected[i]
        }
        let sigma = RobustScale.mad(remainder)
        let se = medianSEFactor * sigma * (1 / Double(w) + (p >= 2 ? 1 / cycles : 0)).squareRoot()
        let nu = madDegreesOfFreedom(remainder.lazy.filter(\.isFinite).count)
        return SeasonalBaseline(expected: expected, expectedSE: [Double](repeating: se, count: n),
                                noiseScale: [Double](repeating: sigma, count: n),
                                seasonalPart: (0..<n).map { seasonal[$0 % p] },
                                noiseDegreesOfFreedom: [Double](repeating: nu, count: n), period: p, window: w)
    }

    /// The causal baseline: the expectation of x[t] uses x[0…t−1] only (see the type's notes).
    public static func fitOnline(_ x: [Double], period: Int, window: Int) -> SeasonalBaseline {
        let n = x.count
        let p = max(1, period)
        let w = p >= 2 ? p : max(3, window)
        let maxCycles = 4
        var expected = [Double](repeating: .nan, count: n)
        var se = [Double](repeating: .nan, count: n)
        var scale = [Double](repeating: .nan, count: n)
        var nus = [Double](repeating: .infinity, count: n), nu = Double.infinity
        var level = SortedWindow(), levelQueue: [Double] = []
        var errors: [Double] = []
        var sigma = Double.nan, sinceScale = 0
        let scaleWindow = 8 * w, scaleEvery = max(1, w / 8)
        for t in 0..<n {
            // seasonal part from the same phase of past cycles
            var base = 0.0, cyclesUsed = 0
            if p >= 2 {
                var same: [Double] = []
                var k = 1
                while k <= maxCycles, t - k * p >= 0 { if x[t - k * p].isFinite { same.append(x[t - k * p]) }; k += 1 }
                cyclesUsed = same.count
                base = same.isEmpty ? .nan : RobustScale.median(same)
            }
            let lvl = level.count > 0 ? level.median : Double.nan
            let e = base + lvl
            if e.isFinite, (p < 2 || cyclesUsed >= 2), level.count >= min(w, 3) {
                expected[t] = e
                if sinceScale == 0 || !sigma.isFinite {
                    sigma = errors.count >= 20 ? RobustScale.mad(errors.suffix(scaleWindow)) : .nan
                    nu = madDegreesOfFreedom(min(errors.count, scaleWindow))
                }
                nus[t] = nu
                sinceScale = (sinceScale + 1) % scaleEvery
                scale[t] = sigma
                se[t] = medianSEFactor * sigma * (1 / Double(level.count) + (p >= 2 ? 1 / Double(max(1, cyclesUsed)) : 0)).squareRoot()
            }
            // update with x[t] after its expectation is fixed
            guard x[t].isFinite else { continue }
            if e.isFinite { errors.append(x[t] - e); if errors.count > 2 * scaleWindow { errors.removeFirst(errors.count - scaleWindow) } }
            if base.isFinite || p < 2 {
                let d = x[t] - (p >= 2 ? base : 0)
                level.insert(d); levelQueue.append(d)
                if levelQueue.count > w { level.remove(levelQueue.removeFirst()) }
            }
        }
        return SeasonalBaseline(expected: expected, expectedSE: se, noiseScale: scale,
                                seasonalPart: [Double](repeating: 0, count: n), noiseDegreesOfFreedom: nus, period: p, window: w)
    }
}

/// Whether a series has a season of a candidate period, by the strength of seasonality
/// F = max(0, 1 − Var(R)/Var(S+R)) of Wang, Smith & Hyndman (2006), with MAD² in place of the
/// variances so anomalies do not decide it; S is the phase means of the detrended series and
/// MAD²(R) is scaled by c/(c − 1) for c cycles (phase means absorb a share 1/c of the noise;
/// uncorrected, and with medians, a weekly profile fitted to three weeks of purely daily data
/// looks stronger than the daily one). A candidate needs at least three full cycles; the strongest candidate with
/// F ≥ 0.3 wins, otherwise there is no season (period 1).
public enum SeasonalityChoice {
    public static let minimumStrength = 0.3

    /// Strength of the season of `period` in `x` (0 when fewer than three cycles).
    public static func strength(_ x: [Double], period: Int) -> Double {
        guard period >= 2, x.count >= 3 * period else { return 0 }
        let trend = RobustScale.centredRunningMedian(x, window: period)
        let detrended = zip(x, trend).map { $0 - $1 }
        // phase means: their residual variance is σ²(1 − 1/c), undone by c/(c − 1) below
        var sum = [Double](repeating: 0, count: period), count = sum
        for (i, d) in detrended.enumerated() where d.isFinite { sum[i % period] += d; count[i % period] += 1 }
        let remainder = detrended.indices.map { detrended[$0] - (count[$0 % period] > 0 ? sum[$0 % period] / count[$0 % period] : 0) }
        let r = RobustScale.mad(remainder), sr = RobustScale.mad(detrended)
        guard sr > 0 else { return 0 }
        let cycles = Double(x.count / period)
        return max(0, 1 - (r * r) * cycles / (cycles - 1) / (sr * sr))
    }

    /// The period among `candidates` with the strongest season, or 1.
    public static func choose(_ x: [Double], candidates: [Int]) -> Int {
        var best = 1, bestStrength = minimumStrength
        for c in candidates where c >= 2 {
            let s = strength(x, period: c)
            if s >= bestStrength { best = c; bestStrength = s }
        }
        return best
    }
}
