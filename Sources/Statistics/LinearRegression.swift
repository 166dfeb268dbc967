import Foundation

/// One coefficient with its inference, named as broom's `tidy()` names them.
public struct TermEstimate: Sendable, Codable, Equatable {
    public let term: String
    public let estimate: Double
    public let stdError: Double
    /// t (linear) or z (logistic) statistic.
    public let statistic: Double
    public let pValue: Double
    public let confLow: Double
    public let confHigh: Double

    enum CodingKeys: String, CodingKey {
        case term, estimate, stdError = "std_error", statistic, pValue = "p_value", confLow = "conf_low", confHigh = "conf_high"
    }
}

/// Which covariance matrix backs the standard errors.
public enum CovarianceKind: Sendable, Equatable {
    /// Model-based: `σ²(XᵀWX)⁻¹` (linear) or the inverse Fisher information (logistic).
    case classical
    /// White's heteroskedasticity-consistent estimators (linear models).
    case hc0, hc1, hc2, hc3
    /// Cluster-robust (CR1): clusters are integer ids per observation. The sandwich is scaled by
    /// `G/(G−1)·(n−1)/(n−k)` as Stata and statsmodels do; t/z tests use `G−1` degrees of freedom
    /// for linear models.
    case cluster([Int])

    /// With cluster ids, rows of weight 0 moved into the cluster of the first row of positive
    /// weight: they add nothing to any cluster's score, and now no cluster of their own either, so
    /// G (in CR1's G/(G−1), the G − 1 degrees of freedom and the label) counts only clusters that
    /// carry data. Other kinds are returned as they are.
    public func joiningZeroWeightRows(_ weights: [Double]) -> CovarianceKind {
        guard case .cluster(let groups) = self, groups.count == weights.count,
              let first = weights.firstIndex(where: { $0 > 0 }), weights.contains(0) else { return self }
        return .cluster(zip(groups, weights).map { $1 > 0 ? $0 : groups[first] })
    }

    public var label: String {
        switch self {
        case .classical: return "classical"
        case .hc0: return "HC0"
        case .hc1: return "HC1"
        case .hc2: return "HC2"
        case .hc3: return "HC3"
        case .cluster(let g): return "cluster-robust (\(Set(g).count) clusters)"
        }
    }
}

/// Options for ``LinearRegression/fit(x:y:termNames:options:)``.
public struct LinearRegressionOptions: Sendable {
    /// Add an intercept column (named `(Intercept)`).
    public var intercept = true
    /// Case weights (weighted least squares); `nil` means all ones. Zero-weight rows are ignored.
    public var weights: [Double]? = nil
    /// Ridge penalty `λ·‖β‖²` on the non-intercept coefficients (0 for none).
    public var ridge = 0.0
    public var covariance: CovarianceKind = .classical
    public var confidenceLevel = 0.95
    /// Relative tolerance on `|Rᵢᵢ/R₁₁|` of the column-equilibrated QR below which a column is aliased.
    public var rankTolerance = 1e-13
    /// Always use the pivoted QR, even for a well-conditioned design (tests compare the paths).
    var forceQR = false
    public init() {}
}

/// A fitted linear model, with per-term inference and glance-style model statistics.
public struct LinearRegressionResult: Sendable {
    public let terms: [TermEstimate]
    public let coefficients: [Double]
    public let covariance: Matrix
    public let covarianceKind: CovarianceKind
    public let fitted: [Double]
    public let residuals: [Double]
    public let nobs: Int
    public let dfResidual: Int
    /// Centred R² with an intercept, uncentred (`1 − RSS/Σwy²`) without, as R and NIST define it.
    public let rSquared: Double
    public let adjRSquared: Double
    /// Residual standard error `√(RSS/df)`.
    public let sigma: Double
    public let residualSumOfSquares: Double
    /// Overall F test of the slopes: classical `((TSS−RSS)/q)/σ²`, or with robust or cluster
    /// covariance the Wald statistic `βₛᵀVₛ⁻¹βₛ/q` on the t tests' denominator df (NaN if `Vₛ` is singular).
    public let fStatistic: Double
    public let fPValue: Double
    /// Denominator degrees of freedom of the t tests and of the F test: the residual df, or
    /// `G − 1` with cluster-robust errors.
    public let inferenceDF: Double
    public let dfModel: Int
    public let logLikelihood: Double
    /// `−2ℓ + 2(k+1)` counting σ, as R's `AIC(lm)`.
    public let aic: Double
    public let bic: Double
    /// 1-norm condition number estimate of the column-equilibrated (and, with an intercept, centred) design.
    public let conditionNumber: Double
    public let hasIntercept: Bool
    /// The model reproduces the response exactly (residuals zero up to rounding: RSS below
    /// `(64ε)²·Σwŷ²`). Standard errors are then zero, and the t and F statistics, their
    /// p-values, the log-likelihood, AIC and BIC are undefined: they are NaN, never ±∞.
    public let exactFit: Bool

    /// The same fit for the response multiplied by `s` (a power of two, so exactly): estimates,
    /// SEs, intervals, fitted values, residuals and σ scale by `s`, RSS and covariances by `s²`,
    /// ℓ moves by `−n·log s`; R², tests and p-values do not change.
    func scaled(by s: Double) -> LinearRegressionResult {
        let shift = Double(nobs) * log(s)
        return LinearRegressionResult(
            terms: terms.map { TermEstimate(term: $0.term, estimate: $0.estimate * s, stdError: $0.stdError * s,
                                            statistic: $0.statistic, pValue: $0.pValue, confLow: $0.confLow * s,
                                            confHigh: $0.confHigh * s) },
            coefficients: coefficients.map { $0 * s }, covariance: (s * s) * covariance, covarianceKind: covarianceKind,
            fitted: fitted.map { $0 * s }, residuals: residuals.map { $0 * s }, nobs: nobs, dfResidual: dfResidual,
            rSquared: rSquared, adjRSquared: adjRSquared, sigma: sigma * s,
            residualSumOfSquares: residualSumOfSquares * s * s, fStatistic: fStatistic, fPValue: fPValue,
            inferenceDF: inferenceDF, dfModel: dfModel, logLikelihood: logLikelihood - shift, aic: aic + 2 * shift,
            bic: bic + 2 * shift, conditionNumber: conditionNumber, hasIntercept: hasIntercept, exactFit: exactFit)
    }
}

/// Ordinary, weighted and ridge least squares solved by Householder QR with column pivoting.
///
/// Solves `min ‖W^{½}(y − Xβ)‖² + λ‖β₋₀‖²`. With an intercept the columns are centred on their
/// weighted means first (an exact reparametrisation that removes the intercept's collinearity),
/// every column is scaled to unit norm, `dgeqp3` factors the result, and one step of iterative
/// refinement is applied to the solution. The normal equations are never formed for the
/// solution. Accuracy on the NIST StRD suite: 12–15 correct digits except Filip (see tests).
/// A rank-deficient design throws `.rankDeficient` naming the aliased terms.
public enum LinearRegression {
    public static func fit(x: Matrix, y: [Double], termNames: [String]? = nil,
                           options: LinearRegressionOptions = LinearRegressionOptions()) throws -> LinearRegressionResult {
        // A response near the ends of the double range (|y| ~ 1e300) overflows Σy² and the RSS:
        // the fit is made for y/s, s a power of two, and scaled back exactly.
        let top = y.reduce(0) { max($0, abs($1)) }
        if top.isFinite && top > 0 && (top > 0x1p400 || top < 0x1p-400) {
            let s = Double(sign: .plus, exponent: top.exponent, significand: 1)
            return try fitInRange(x: x, y: y.map { $0 / s }, termNames: termNames, options: options).scaled(by: s)
        }
        return try fitInRange(x: x, y: y, termNames: termNames, options: options)
    }

    private static func fitInRange(x: Matrix, y: [Double], termNames: [String]?,
                                   options: LinearRegressionOptions) throws -> LinearRegressionResult {
        let n = x.rows, p = x.columns
        let names = termNames ?? (0..<p).map { "x\($0 + 1)" }
        guard names.count == p else { throw NumericsError(.badArgument, "\(names.count) term names for \(p) columns") }
        guard y.count == n else { throw NumericsError(.badArgument, "y has \(y.count) values, X has \(n) rows") }
        let w = options.weights ?? [Double](repeating: 1, count: n)
        guard w.count == n else { throw NumericsError(.badArgument, "weights have \(w.count) values for \(n) rows") }
        guard w.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw NumericsError(.invalidData, "weights must be finite and non-negative") }
        guard y.allSatisfy(\.isFinite), x.storage.allSatisfy(\.isFinite) else {
            throw NumericsError(.invalidData, "the data contain NaN or infinite values; drop or impute them first")
        }
        let covarianceKind = options.covariance.joiningZeroWeightRows(w)
        let int = options.intercept
        let k = p + (int ? 1 : 0)
        let nobs = w.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        guard nobs > k else {
            throw NumericsError(.invalidData, "\(nobs) observations cannot fit \(k) parameters with residual degrees of freedom")
        }
        let allNames = (int ? ["(Intercept)"] : []) + names
        let sw = w.map { $0.squareRoot() }
        let sumW = w.reduce(0, +)

        // Weighted means and centred, weighted, column-scaled design.
        var xbar = [Double](repeating: 0, count: p)
        var ybar = 0.0
        if int {
            for j in 0..<p {
                var s = 0.0
                let base = j * n
                for i in 0..<n { s += w[i] * x.storage[base + i] }
                xbar[j] = s / sumW
            }
            for i in 0..<n { ybar += w[i] * y[i] }
            ybar /= sumW
        }
        let lambda = options.ridge
        var beta = [Double](repeating: 0, count: p)
        var rInverse = Matrix(rows: 0, columns: 0)
        var pivots: [Int] = []
        var condition = 1.0
        var scale = [Double](repeating: 1, count: p)
        // ‖R⁻ᵀ·x̄ₛ‖² = x̄ᵀ(X꜀ᵀWX꜀)⁻¹x̄ (x̄ₛ: the means pivoted and scaled like the columns): the
        // intercept's share of its variance, formed as a sum of squares so that near-collinear
        // slopes (whose inverse-Gram entries cancel) cannot drive it negative
        var interceptQuadratic = 0.0
        // Well-conditioned designs: Cholesky of the scaled Gram matrix (see ScaledGram); the
        // pivoted QR below is kept for the others, and for ridge.
        var gram = lambda == 0 && p > 0 && !options.forceQR
            ? try ScaledGram(x: x, y: y, sw: sw, xbar: xbar, ybar: ybar, names: names, intercept: int) : nil
        if let solved = try gram?.solveIfWellConditioned(), let g = gram {
            scale = g.scale
            beta = (0..<p).map { solved[$0] / scale[$0] }
            let rr = g.upperFactor
            rInverse = try Triangular.invertUpper(rr)
            if int {
                let z = try Triangular.solveUpper(rr, (0..<p).map { xbar[$0] / scale[$0] }, transpose: true)
                interceptQuadratic = z.reduce(0) { $0 + $1 * $1 }
            }
            pivots = Array(0..<p)
            let rc = try Triangular.reciprocalCondition(rr)
            condition = rc > 0 ? 1 / rc : .infinity
        } else {
            let extra = lambda > 0 ? p : 0
            let m = n + extra
            var xs = Matrix(rows: m, columns: p)
            for j in 0..<p {
                var ss = 0.0
                for i in 0..<n {
                    let v = sw[i] * (x.storage[j * n + i] - xbar[j])
                    xs.storage[j * m + i] = v
                    ss += v * v
                }
                if lambda > 0 { xs.storage[j * m + n + j] = lambda.squareRoot(); ss += lambda }
                let c = ss.squareRoot()
                if c == 0 {
                    throw NumericsError(.rankDeficient, "term \(names[j]) is constant\(int ? " (aliased with the intercept)" : " zero")",
                                        terms: [names[j]])
                }
                scale[j] = c
                for i in 0..<m { xs.storage[j * m + i] /= c }
            }
            var yc = [Double](repeating: 0, count: m)
            for i in 0..<n { yc[i] = sw[i] * (y[i] - ybar) }

            if p > 0 {
                let qr = try PivotedQR(overwriting: &xs, tolerance: options.rankTolerance)
                if qr.rank < p {
                    let aliased = qr.pivots[qr.rank...].map { names[$0] }.sorted()
                    throw NumericsError(.rankDeficient,
                                        "the design has rank \(qr.rank + (int ? 1 : 0)) < \(k) parameters; aliased (linearly dependent) terms: \(aliased.joined(separator: ", "))",
                                        terms: aliased)
                }
                let bs = try qr.solve(yc)
                // one step of iterative refinement on the residual
                // (the factorization took the scaled design's storage, so it is rebuilt here in row
                // blocks, value for value as above, and multiplied by the same BLAS kernel: no second
                // n × p copy in memory)
                var r0 = yc
                let blockRows = 4096
                var start = 0
                while start < m {
                    let rows = min(blockRows, m - start)
                    var block = Matrix(rows: rows, columns: p)
                    for j in 0..<p {
                        let c = scale[j], base = j * n, mean = xbar[j]
                        for r in 0..<rows {
                            let i = start + r
                            let v = i < n ? sw[i] * (x.storage[base + i] - mean) : (i - n == j ? lambda.squareRoot() : 0)
                            block.storage[j * rows + r] = v / c
                        }
                    }
                    let fit = try block.multiplied(by: bs)
                    for r in 0..<rows { r0[start + r] = yc[start + r] - fit[r] }
                    start += rows
                }
                let delta = try qr.solve(r0)
                for j in 0..<p { beta[j] = (bs[j] + delta[j]) / scale[j] }
                let rr = qr.r(p)
                rInverse = try Triangular.invertUpper(rr)
                if int {
                    let z = try Triangular.solveUpper(rr, qr.pivots.map { xbar[$0] / scale[$0] }, transpose: true)
                    interceptQuadratic = z.reduce(0) { $0 + $1 * $1 }
                }
                pivots = qr.pivots
                let rc = try Triangular.reciprocalCondition(rr)
                condition = rc > 0 ? 1 / rc : .infinity
            }
        }
        let intercept = ybar - zip(xbar, beta).reduce(0) { $0 + $1.0 * $1.1 }
        var coef = (int ? [intercept] : []) + beta

        // Fitted values and residuals on the original scale.
        var fitted = try x.multiplied(by: beta)
        if int { for i in 0..<n { fitted[i] += intercept } }
        var resid = (0..<n).map { y[$0] - fitted[$0] }
        var rss = (0..<n).reduce(0.0) { $0 + w[$1] * resid[$1] * resid[$1] }
        let df = nobs - k
        var sigma2 = rss / Double(df)

        // (Xc_sᵀXc_s)⁻¹ in original (unpivoted, unscaled) coordinates: slopes block.
        var slopeInv = Matrix(rows: p, columns: p)
        if p > 0 {
            let m2 = try rInverse.multiplied(by: rInverse, transposeOther: true)
            for a in 0..<p { for b in 0..<p {
                let ja = pivots[a], jb = pivots[b]
                slopeInv[ja, jb] = m2[a, b] / (scale[ja] * scale[jb])
            } }
        }
        // Full bread (X̃ᵀWX̃ + λD)⁻¹ for [1 X] from the centred block.
        var bread = Matrix(rows: k, columns: k)
        if int {
            let bx = try slopeInv.multiplied(by: xbar)
            bread[0, 0] = 1 / sumW + interceptQuadratic
            for j in 0..<p {
                bread[0, j + 1] = -bx[j]
                bread[j + 1, 0] = -bx[j]
                for l in 0..<p { bread[j + 1, l + 1] = slopeInv[j, l] }
            }
        } else {
            bread = slopeInv
        }

        // Iterative refinement on the original design: the residual and the gradient X̃ᵀW(y − X̃β)
        // are accumulated in double-double, then δ = (X̃ᵀWX̃)⁻¹·g. This removes the κ²·ε·‖r‖ error
        // of large-residual problems (Wampler 4–5) down to the data's own rounding. A step is kept
        // only while it lowers the Newton decrement gᵀ(X̃ᵀWX̃)⁻¹g, itself formed from the
        // compensated gradient: the decision does not depend on the BLAS kernel's summation order
        // (comparing RSS computed by dgemv did, and threw away good steps on some CPUs: Wampler5
        // kept 6 digits on an AMD EPYC). When κ²ε ≳ 1 the steps stop descending and the QR
        // solution is kept.
        // The double-double passes cost about as much as the whole fit on large data: there they
        // run only when the a-posteriori bound ε·κ·(1 + κ·‖r‖/‖ŷ‖) says working precision may
        // leave fewer than 13 digits; designs up to 2²⁰ cells always get them.
        let qrFitted = (0..<n).reduce(0.0) { $0 + w[$1] * fitted[$1] * fitted[$1] }.squareRoot()
        let errorBound = Double.ulpOfOne * condition * (1 + condition * rss.squareRoot() / max(qrFitted, .leastNormalMagnitude))
        if lambda == 0 && k > 0 && (n * k <= 1 << 20 || !(errorBound < 1e-13)) {
            var current = compensatedResidualAndGradient(x: x, y: y, w: w, coef: coef, intercept: int)
            var decrement = try newtonDecrement(bread: bread, gradient: current.gradient)
            // the decrement ‖X̃δ‖² of a step that moves the fitted values by k ulps: below it the
            // decrement is rounding noise, and a step is taken once more without asking for descent
            let fittedSquares = (0..<n).reduce(0.0) { $0 + w[$1] * fitted[$1] * fitted[$1] }
            let roundingLevel = fittedSquares * (Double(k) * Double.ulpOfOne) * (Double(k) * Double.ulpOfOne)
            for _ in 0..<10 where decrement > 0 {
                let delta = try bread.multiplied(by: current.gradient)
                let trial = (0..<k).map { coef[$0] + delta[$0] }
                if trial == coef { break }
                let next = compensatedResidualAndGradient(x: x, y: y, w: w, coef: trial, intercept: int)
                let nextDecrement = try newtonDecrement(bread: bread, gradient: next.gradient)
                let descends = nextDecrement < decrement
                guard descends || nextDecrement <= roundingLevel else { break }
                (coef, current, decrement) = (trial, next, nextDecrement)
                if !descends { break }
            }
            resid = current.residuals
            fitted = (0..<n).map { y[$0] - resid[$0] }
            rss = (0..<n).reduce(0.0) { $0 + w[$1] * resid[$1] * resid[$1] }
            sigma2 = rss / Double(df)
        }

        let fittedSquares = (0..<n).reduce(0.0) { $0 + w[$1] * fitted[$1] * fitted[$1] }
        let exactFit = rss <= fittedSquares * (64 * Double.ulpOfOne) * (64 * Double.ulpOfOne)

        // The whitened full design for sandwich estimators, formed block by block (no copy).
        let whitened = DesignRows(x: x, intercept: int, rowScale: sw)
        var cov: Matrix
        var testDF = Double(df)
        var robustOmega: [Double]? = nil
        var whitenedResiduals: [Double] = []
        if lambda > 0 {
            // σ² A⁻¹ (X̃ᵀWX̃) A⁻¹
            let g = whitened.weightedGram()
            cov = sigma2 * (try (try bread.multiplied(by: g)).multiplied(by: bread))
        } else {
            cov = sigma2 * bread
        }
        switch covarianceKind {
        case .classical:
            break
        case .hc0, .hc1, .hc2, .hc3, .cluster:
            let e = (0..<n).map { sw[$0] * resid[$0] }
            let omega = try RobustCovariance.observationWeights(design: whitened, residuals: e, bread: bread, kind: covarianceKind,
                                                               nobs: nobs, parameters: k)
            let meat = try RobustCovariance.meat(design: whitened, residuals: e, omega: omega, kind: covarianceKind,
                                                 nobs: nobs, parameters: k)
            cov = try (try bread.multiplied(by: meat)).multiplied(by: bread)
            robustOmega = omega
            whitenedResiduals = e
            if case .cluster(let g) = covarianceKind { testDF = Double(Set(g).count - 1) }
        }

        // Model statistics.
        let tss: Double = int ? (0..<n).reduce(0.0) { $0 + w[$1] * (y[$1] - ybar) * (y[$1] - ybar) }
                              : (0..<n).reduce(0.0) { $0 + w[$1] * y[$1] * y[$1] }
        let r2 = 1 - rss / tss
        let dfInt = int ? 1 : 0
        let adj = 1 - (1 - r2) * Double(nobs - dfInt) / Double(df)
        let dfModel = k - dfInt
        var fStat = dfModel > 0 ? ((tss - rss) / Double(dfModel)) / sigma2 : .nan
        if dfModel > 0 && covarianceKind != .classical {
            // With robust errors the F test is the Wald test of the slopes against their robust
            // covariance, βₛᵀVₛ⁻¹βₛ/q (as statsmodels does), on the t tests' denominator df. Vₛ is
            // the centred sandwich A⁻¹MA⁻¹ (A = X꜀ᵀWX꜀ + λ), so Vₛ⁻¹ = A·M⁻¹·A and the statistic is
            // uᵀM⁻¹u with u = A·βₛ formed from the centred design: inverting Vₛ itself would square
            // the design's condition number (5.9e-5 lost on Longley).
            let dc = DesignRows(x: x, intercept: false, rowScale: sw, center: xbar)
            let slopes = Array(coef[dfInt...])
            var u = dc.gramTimes(slopes)
            if lambda > 0 { for j in 0..<p { u[j] += lambda * slopes[j] } }
            let m = try RobustCovariance.meat(design: dc, residuals: whitenedResiduals, omega: robustOmega,
                                              kind: covarianceKind, nobs: nobs, parameters: k)
            if let chol = try? Cholesky(m), let solved = try? chol.solve(u) {
                fStat = zip(u, solved).reduce(0) { $0 + $1.0 * $1.1 } / Double(dfModel)
            } else {
                fStat = .nan   // the meat is singular (e.g. fewer clusters than slopes): no Wald test
            }
        }
        var fP = dfModel > 0 ? FDistribution(numeratorDegreesOfFreedom: Double(dfModel), denominatorDegreesOfFreedom: testDF).sf(fStat) : .nan
        var sumLogW = 0.0
        for wi in w where wi > 0 { sumLogW += log(wi) }
        let nd = Double(nobs)
        var ll = -0.5 * nd * (log(2 * Double.pi) + log(rss / nd) + 1) + 0.5 * sumLogW
        var aic = -2 * ll + 2 * Double(k + 1)
        var bic = -2 * ll + log(nd) * Double(k + 1)

        var terms = Inference.terms(names: allNames, estimates: coef, covariance: cov,
                                    level: options.confidenceLevel, studentDF: testDF)
        if exactFit {
            // zero residuals: t = β/0 and ℓ = +∞ are not statistics; they are reported as undefined
            terms = terms.map { TermEstimate(term: $0.term, estimate: $0.estimate, stdError: $0.stdError, statistic: .nan,
                                             pValue: .nan, confLow: $0.confLow, confHigh: $0.confHigh) }
            (fStat, fP, ll, aic, bic) = (.nan, .nan, .nan, .nan, .nan)
        }
        return LinearRegressionResult(terms: terms, coefficients: coef, covariance: cov, covarianceKind: covarianceKind,
                                      fitted: fitted, residuals: resid, nobs: nobs, dfResidual: df, rSquared: r2,
                                      adjRSquared: adj, sigma: sigma2.squareRoot(), residualSumOfSquares: rss,
                                      fStatistic: fStat, fPValue: fP, inferenceDF: testDF, dfModel: dfModel, logLikelihood: ll, aic: aic, bic: bic,
                                      conditionNumber: condition, hasIntercept: int, exactFit: exactFit)
    }

    /// The residuals `y − X̃β` (rounded once from double-double) and the gradient `X̃ᵀW(y − X̃β)`,
    /// both accumulated in double-double arithmetic in a fixed order (no BLAS), so they do not
    /// depend on the CPU or the BLAS kernel.
    static func compensatedResidualAndGradient(x: Matrix, y: [Double], w: [Double], coef: [Double],
                                               intercept: Bool) -> (residuals: [Double], gradient: [Double]) {
        let n = x.rows, p = x.columns
        let k = coef.count
        let off = intercept ? 1 : 0
        var rHi = [Double](repeating: 0, count: n), rLo = [Double](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { xs in
            for i in 0..<n {
                var hi = y[i], lo = 0.0
                func add(_ a: Double, _ b: Double) { // hi+lo += a*b (exactly up to the final rounding)
                    let prod = a * b
                    let perr = fma(a, b, -prod)
                    let s = hi + prod
                    let bb = s - hi
                    let serr = (hi - (s - bb)) + (prod - bb)
                    hi = s
                    lo += serr + perr
                }
                if intercept { add(-1, coef[0]) }
                for j in 0..<p { add(-xs[j * n + i], coef[j + off]) }
                rHi[i] = hi + lo
                rLo[i] = lo - (rHi[i] - hi)
            }
        }
        var g = [Double](repeating: 0, count: k)
        x.storage.withUnsafeBufferPointer { xs in
            for j in 0..<k {
                var hi = 0.0, lo = 0.0
                for i in 0..<n where w[i] > 0 {
                    let xij = (intercept && j == 0) ? 1.0 : xs[(j - off) * n + i]
                    let a = w[i] * xij
                    let prod = a * rHi[i]
                    let perr = fma(a, rHi[i], -prod)
                    let s = hi + prod
                    let bb = s - hi
                    lo += (hi - (s - bb)) + (prod - bb) + perr + a * rLo[i]
                    hi = s
                }
                g[j] = hi + lo
            }
        }
        return (rHi, g)
    }

    /// `gᵀBg`: what a Newton step with the inverse Gram matrix `B` still promises.
    static func newtonDecrement(bread: Matrix, gradient g: [Double]) throws -> Double {
        let bg = try bread.multiplied(by: g)
        let d = zip(g, bg).reduce(0) { $0 + $1.0 * $1.1 }
        return d.isFinite ? d : .infinity
    }

}

/// Turns estimates and a covariance into per-term statistics.
enum Inference {
    /// `studentDF` nil means normal (z) tests.
    static func terms(names: [String], estimates: [Double], covariance: Matrix, level: Double,
                      studentDF: Double?) -> [TermEstimate] {
        let crit: Double
        let twoSided: (Double) -> Double
        if let df = studentDF {
            let t = StudentT(degreesOfFreedom: df)
            crit = t.quantile(0.5 + level / 2)
            twoSided = { 2 * t.sf(abs($0)) }
        } else {
            let z = Normal()
            crit = z.quantile(0.5 + level / 2)
            twoSided = { 2 * z.sf(abs($0)) }
        }
        return names.indices.map { j in
            let se = max(covariance[j, j], 0).squareRoot()
            let stat = estimates[j] / se
            return TermEstimate(term: names[j], estimate: estimates[j], stdError: se, statistic: stat,
                                pValue: twoSided(stat), confLow: estimates[j] - crit * se, confHigh: estimates[j] + crit * se)
        }
    }
}
