import Foundation

/// The log-linear trend of a count series: the Poisson regression log μₜ = log Eₜ + α + β·t
/// (Eₜ the exposure, e.g. calls that day), fitted by Newton–Raphson on the two parameters.
///
/// β is the change in log rate per time unit (e^β − 1 the relative change per day). Its
/// standard error is the inverse Fisher information scaled by the quasi-Poisson dispersion
/// φ = max(1, Pearson χ²/(n − 2)), so that over-dispersed counts (usual for error logs) do not
/// give falsely small p-values; under-dispersion is not credited. The test of β = 0 uses
/// Student's t with n − 2 degrees of freedom (as R's `glm(family = quasipoisson)`), or the normal
/// when n = 2. Time is centred before fitting, so the two parameters are nearly orthogonal and
/// Newton converges in a few steps. Linear time per iteration.
public struct PoissonTrend: Sendable, Equatable {
    /// Change in log rate per time unit.
    public let slope: Double
    public let standardError: Double
    /// Two-sided p-value of slope = 0.
    public let pValue: Double
    /// Estimated dispersion (≥ 1).
    public let dispersion: Double
    /// Number of points used.
    public let n: Int

    /// Fits counts `y` at times `t` with exposures `exposure` (all 1 when nil).
    ///
    /// Needs two or more distinct times with positive exposure and at least one non-zero count;
    /// a series whose counts all sit at one end (the rate is 0 before and positive after) has no
    /// finite maximum and is refused as not converged.
    public static func fit(times t: [Double], counts y: [Double], exposure: [Double]? = nil) throws -> PoissonTrend {
        guard t.count == y.count, exposure.map({ $0.count == y.count }) ?? true else {
            throw NumericsError(.badArgument, "times, counts and exposures must have equal lengths")
        }
        let e = exposure ?? Array(repeating: 1, count: y.count)
        for i in y.indices where !(y[i] >= 0 && y[i].isFinite && t[i].isFinite && e[i] >= 0 && e[i].isFinite) {
            throw NumericsError(.invalidData, "point \(i + 1): counts and exposures must be finite and non-negative")
        }
        let keep = y.indices.filter { e[$0] > 0 }
        let n = keep.count
        guard n >= 2, Set(keep.map { t[$0] }).count >= 2 else {
            throw NumericsError(.invalidData, "a trend needs at least two distinct times with positive exposure; got \(n) points")
        }
        let totalY = keep.reduce(0) { $0 + y[$1] }, totalE = keep.reduce(0) { $0 + e[$1] }
        guard totalY > 0 else { throw NumericsError(.invalidData, "a trend needs at least one non-zero count") }
        let centre = keep.reduce(0) { $0 + t[$1] } / Double(n)
        let tc = keep.map { t[$0] - centre }, yy = keep.map { y[$0] }, logE = keep.map { log(e[$0]) }

        var alpha = log(totalY / totalE), beta = 0.0
        var info = (s00: 0.0, s01: 0.0, s11: 0.0)
        var converged = false
        for _ in 0 ..< 100 {
            var u0 = 0.0, u1 = 0.0
            info = (0, 0, 0)
            for i in 0 ..< n {
                let mu = exp(logE[i] + alpha + beta * tc[i])
                u0 += yy[i] - mu; u1 += (yy[i] - mu) * tc[i]
                info.s00 += mu; info.s01 += mu * tc[i]; info.s11 += mu * tc[i] * tc[i]
            }
            let det = info.s00 * info.s11 - info.s01 * info.s01
            guard det > 0, det.isFinite else { break }
            let dAlpha = (info.s11 * u0 - info.s01 * u1) / det
            let dBeta = (info.s00 * u1 - info.s01 * u0) / det
            alpha += dAlpha; beta += dBeta
            if abs(dBeta) < 1e-10 * (1 + abs(beta)) && abs(dAlpha) < 1e-10 * (1 + abs(alpha)) { converged = true; break }
        }
        guard converged, beta.isFinite, abs(beta) < 50 else {
            throw NumericsError(.notConverged, "the trend has no finite maximum-likelihood slope (the counts may all sit at one end of the series)")
        }
        var pearson = 0.0
        info = (0, 0, 0)
        for i in 0 ..< n {
            let mu = exp(logE[i] + alpha + beta * tc[i])
            pearson += (yy[i] - mu) * (yy[i] - mu) / mu
            info.s00 += mu; info.s01 += mu * tc[i]; info.s11 += mu * tc[i] * tc[i]
        }
        let dispersion = n > 2 ? max(1, pearson / Double(n - 2)) : 1
        let varianceBeta = info.s00 / (info.s00 * info.s11 - info.s01 * info.s01) * dispersion
        let se = varianceBeta.squareRoot()
        let z = abs(beta / se)
        let p = n > 2 ? 2 * StudentT(degreesOfFreedom: Double(n - 2)).sf(z) : 2 * Normal().sf(z)
        return PoissonTrend(slope: beta, standardError: se, pValue: min(1, p), dispersion: dispersion, n: n)
    }
}
