import CLAPACK
import Foundation

/// Options for ``LogisticRegression/fit(x:y:termNames:options:)``.
public struct LogisticRegressionOptions: Sendable {
    public var intercept = true
    /// Case (frequency) weights; `nil` means all ones.
    public var weights: [Double]? = nil
    /// L2 penalty `λ/2·‖β₋₀‖²` on the non-intercept coefficients (0 for none).
    public var l2Penalty = 0.0
    /// `.classical` or `.cluster(ids)` (HC kinds are not offered for GLMs).
    public var covariance: CovarianceKind = .classical
    public var confidenceLevel = 0.95
    public var maxIterations = 100
    /// Relative deviance change `|ΔD|/(|D|+0.1)` required for convergence.
    public var devianceTolerance = 1e-10
    /// Newton decrement `gᵀH⁻¹g` required for convergence (scale free).
    public var gradientTolerance = 1e-10
    /// Rows per block in the fused pass over the data.
    public var blockRows = 2048
    /// Worker threads for the pass over the data (`nil`: one per active core). Results agree
    /// across thread counts to rounding (the per-thread sums are added in a fixed order).
    public var threads: Int? = nil
    public init() {}
}

/// A fitted logistic model.
public struct LogisticRegressionResult: Sendable {
    /// Per term; `statistic` is z. Odds ratios are `exp(estimate)`, see ``oddsRatios``.
    public let terms: [TermEstimate]
    public let coefficients: [Double]
    public let covariance: Matrix
    public let covarianceKind: CovarianceKind
    public let nobs: Int
    public let dfResidual: Int
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    public let deviance: Double
    public let nullDeviance: Double
    public let aic: Double
    public let bic: Double
    /// McFadden's `1 − ℓ/ℓ₀`.
    public let pseudoRSquared: Double
    public let iterations: Int
    public let converged: Bool
    public let hasIntercept: Bool
    /// `(term, odds ratio, conf low, conf high)` from the coefficient CIs.
    public var oddsRatios: [(term: String, oddsRatio: Double, confLow: Double, confHigh: Double)] {
        terms.map { ($0.term, exp($0.estimate), exp($0.confLow), exp($0.confHigh)) }
    }
}

/// Maximum-likelihood logistic regression by Newton–Raphson (equal to IRLS / Fisher scoring for
/// the canonical logit link) with step halving, optional case weights, L2 penalty and classical or
/// cluster-robust covariance. Each iteration is one fused, multi-threaded pass over the design
/// (``LogisticPass``); converges when the Newton decrement `gᵀH⁻¹g` and the relative deviance change
/// fall below the tolerances (1e-10), then takes the final tiny step and makes one more pass there
/// for the information. Complete and quasi-complete separation (a direction along which the
/// likelihood rises without bound, see the separation check) throws `.separation` naming the terms
/// it needs, unless an L2 penalty is given. Tested against statsmodels on the UCLA and Spector data:
/// coefficients to 1e-12 relative, SEs to 1e-10, p-values to 1e-9; also on shifted and rescaled
/// copies of both. With a proportion response, weights are numbers of trials and ℓ is the binomial
/// GLM's (see ``logBinomialCoefficients(y:w:)``).
public enum LogisticRegression {
    public static func fit(x: Matrix, y: [Double], termNames: [String]? = nil,
                           options: LogisticRegressionOptions = LogisticRegressionOptions()) throws -> LogisticRegressionResult {
        let n = x.rows, p = x.columns
        let names = termNames ?? (0..<p).map { "x\($0 + 1)" }
        guard names.count == p else { throw NumericsError(.badArgument, "\(names.count) term names for \(p) columns") }
        guard y.count == n else { throw NumericsError(.badArgument, "y has \(y.count) values, X has \(n) rows") }
        guard y.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
            throw NumericsError(.invalidData, "the response must be 0/1 (or a proportion in [0, 1])")
        }
        guard x.storage.allSatisfy(\.isFinite) else {
            throw NumericsError(.invalidData, "the design contains NaN or infinite values; drop or impute them first")
        }
        let w = options.weights ?? [Double](repeating: 1, count: n)
        guard w.count == n, w.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw NumericsError(.invalidData, "weights must be \(n) finite non-negative values")
        }
        let covarianceKind = options.covariance.joiningZeroWeightRows(w)
        let int = options.intercept
        let k = p + (int ? 1 : 0)
        let allNames = (int ? ["(Intercept)"] : []) + names
        let nobs = w.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        guard nobs > k else { throw NumericsError(.invalidData, "\(nobs) observations cannot fit \(k) parameters") }
        let lambda = options.l2Penalty
        let sumW = w.reduce(0, +)
        let ybar = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sumW
        if ybar == 0 || ybar == 1 {
            throw NumericsError(.invalidData, "the response is \(Int(ybar)) on every row used: a logistic model needs both outcomes")
        }

        // Start: intercept at the log-odds of the mean, slopes 0.
        var beta = [Double](repeating: 0, count: k)
        if int, ybar > 0, ybar < 1 { beta[0] = log(ybar / (1 - ybar)) }

        func penalty(_ b: [Double]) -> Double {
            guard lambda > 0 else { return 0 }
            var s = 0.0
            for j in (int ? 1 : 0)..<k { s += b[j] * b[j] }
            return lambda * s
        }
        // Σ w·[y log y + (1−y) log(1−y)]: zero unless some responses are proportions
        var satLL = 0.0
        for i in 0..<n where w[i] > 0 && y[i] > 0 && y[i] < 1 { satLL += w[i] * (y[i] * log(y[i]) + (1 - y[i]) * log(1 - y[i])) }

        // Newton–Raphson with step halving. Each iteration is ONE fused pass over the data at the
        // current β (LogisticPass), giving the log-likelihood, gradient and information together;
        // a pass whose penalised deviance went up is undone by halving the previous step.
        var iterations = 0, passes = 0
        var converged = false
        var lastStep = [Double](repeating: 0, count: k)
        var information = Matrix(rows: k, columns: k)
        var logLik = 0.0
        var extreme = 0
        let threads = options.threads ?? ProcessInfo.processInfo.activeProcessorCount
        try x.storage.withUnsafeBufferPointer { xp in
            try y.withUnsafeBufferPointer { yp in
                try w.withUnsafeBufferPointer { wp in
                    let data = LogisticPass.Data(x: xp.baseAddress ?? UnsafePointer(bitPattern: 8)!, y: yp.baseAddress!,
                                                 w: options.weights == nil ? nil : wp.baseAddress!, n: n, p: p, intercept: int)
                    let pass = LogisticPass(data: data, block: options.blockRows, threads: threads)
                    var accepted: (beta: [Double], objective: Double, result: LogisticPass.Result, step: [Double], decrement: Double)? = nil
                    var t = 1.0
                    var current = beta
                    while iterations < options.maxIterations && passes < options.maxIterations + 60 {
                        passes += 1
                        var r = pass.run(beta: current)
                        let objective = -2 * (r.logLikelihood - satLL) + penalty(current)
                        if let prev = accepted, !(objective <= prev.objective + 1e-12 * abs(prev.objective)) {
                            // no descent: halve the previous step, or stop if it is already negligible
                            t /= 2
                            if t < 1e-9 || !objective.isFinite && t < 1e-9 {
                                // no step descends: converged only if what Newton still promises
                            // (½·decrement) is within the rounding of the objective itself
                            converged = prev.decrement < max(options.gradientTolerance,
                                                             1000 * Double.ulpOfOne * abs(prev.objective))
                                break
                            }
                            current = (0..<k).map { prev.beta[$0] + t * prev.step[$0] }
                            continue
                        }
                        if lambda > 0 {
                            for j in (int ? 1 : 0)..<k { r.information[j + j * k] += lambda; r.gradient[j] -= lambda * current[j] }
                        }
                        let h = try Matrix(rows: k, columns: k, columnMajor: r.information)
                        let chol: Cholesky
                        do { chol = try Cholesky(h) } catch {
                            if let e = try collinearityError(x: x, names: names, int: int, weights: options.weights) { throw e }
                            if let needed = separatingTerms(x: x, y: y, w: options.weights, int: int, direction: lastStep,
                                                            scales: columnScales(x, int: int)) {
                                throw separationError(names: allNames, needed: needed, int: int,
                                                      reason: "the information matrix became singular")
                            }
                            throw NumericsError(.notConverged,
                                                "the information matrix became singular at iteration \(iterations) although no term separates the outcomes; check for extreme values in the design")
                        }
                        let step = try chol.solve(r.gradient)
                        let decrement = zip(r.gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
                        let change = accepted.map { abs($0.objective - objective) / (abs(objective) + 0.1) } ?? .infinity
                        if let prev = accepted { lastStep = (0..<k).map { current[$0] - prev.beta[$0] } }
                        accepted = (current, objective, r, step, decrement)
                        iterations += 1
                        if decrement < options.gradientTolerance && (change < options.devianceTolerance || decrement < 1e-3 * options.gradientTolerance) {
                            converged = true
                            break
                        }
                        t = 1
                        current = (0..<k).map { current[$0] + step[$0] }
                    }
                    if let final = accepted {
                        beta = final.beta
                        information = try Matrix(rows: k, columns: k, columnMajor: final.result.information)
                        logLik = final.result.logLikelihood
                        extreme = final.result.extreme
                        if converged {
                            // Take the last (tiny) Newton step too: its size is below √(decrement/λmin(H)),
                            // and the estimate gains quadratic accuracy. One more pass at the final β
                            // gives ℓ and the information there: keeping the previous pass's
                            // information left SEs off by ~|Δβ| (5e-9 relative on Spector).
                            beta = (0..<k).map { final.beta[$0] + final.step[$0] }
                            var last = pass.run(beta: beta)
                            if lambda > 0 { for j in (int ? 1 : 0)..<k { last.information[j + j * k] += lambda } }
                            information = try Matrix(rows: k, columns: k, columnMajor: last.information)
                            logLik = last.logLikelihood
                            extreme = last.extreme
                        }
                    }
                }
            }
        }
        var eta: [Double] {
            var e = [Double](repeating: int ? beta[0] : 0, count: n)
            if p > 0 {
                let slopes = Array(beta[(int ? 1 : 0)...])
                x.storage.withUnsafeBufferPointer { xp in
                    e.withUnsafeMutableBufferPointer { ep in
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(p), 1.0, xp.baseAddress, Int32(n),
                                    slopes, 1, 1.0, ep.baseAddress, 1)
                    }
                }
            }
            return e
        }
        let dev = -2 * (logLik - satLL)

        // Separation: some fitted probabilities at 0 or 1 (|η| > 15) and a certificate, a direction
        // v whose margins x̃ᵢ·v put every y = 1 row on one side of a hyperplane and every y = 0 row
        // on the other (ties allowed: quasi-complete). Along such a v the likelihood rises without
        // bound, so the MLE does not exist. Newton's iterates line up with v as they diverge, so
        // the candidates are the last step and β itself. Every part of this decision (η, the
        // Newton iterates, the margins up to the intercept) is the same when a column is shifted
        // or rescaled, unlike a bound on |β·SD|, which refused valid fits of shifted data.
        if lambda == 0 && extreme > 0 {
            let scales = columnScales(x, int: int)
            for direction in [lastStep, beta] {
                guard let needed = separatingTerms(x: x, y: y, w: options.weights, int: int, direction: direction,
                                                   scales: scales) else { continue }
                if let e = try collinearityError(x: x, names: names, int: int, weights: options.weights) { throw e }
                throw separationError(names: allNames, needed: needed, int: int,
                                      reason: "\(extreme) observation(s) are fitted with probability 0 or 1")
            }
        }
        guard converged else {
            if let e = try collinearityError(x: x, names: names, int: int, weights: options.weights) { throw e }
            throw NumericsError(.notConverged,
                                "IRLS did not converge in \(iterations) iterations (deviance \(dev)); raise the iteration cap or add an L2 penalty")
        }

        let chol: Cholesky
        do { chol = try Cholesky(information) } catch {
            if let e = try collinearityError(x: x, names: names, int: int, weights: options.weights) { throw e }
            throw error
        }
        if lambda == 0, try chol.reciprocalCondition() < 1e-13,
           let e = try collinearityError(x: x, names: names, int: int, weights: options.weights) {
            throw e
        }
        let bread = try chol.inverse()
        var cov = bread
        if case .cluster = covarianceKind {
            // working design and score residuals: d = x̃, e = w(y−μ)
            var e = eta
            for i in 0..<n { e[i] = w[i] * (y[i] - logistic(e[i])) }
            cov = try RobustCovariance.sandwich(design: DesignRows(x: x, intercept: int), residuals: e, bread: bread, kind: covarianceKind,
                                                 nobs: nobs, parameters: k)
        } else if covarianceKind != .classical {
            throw NumericsError(.badArgument, "\(covarianceKind.label) covariance is offered for linear models; use classical or cluster for logistic")
        }

        // A proportion y with weight m is m·y successes in m trials: the binomial GLM's ℓ (R's glm
        // with weights, statsmodels' GLM on successes and failures) counts log C(m, m·y), which a
        // 0/1 row never adds (C(m, 0) = C(m, m) = 1). It shifts ℓ, ℓ₀, AIC, BIC and McFadden's R²,
        // never the estimates or the deviance.
        let binomialConstant = Self.logBinomialCoefficients(y: y, w: w)
        let ll = logLik + binomialConstant
        // the null model's ℓ is linear in y: Σw·y·log μ₀ + Σw·(1−y)·log(1−μ₀)
        let mu0 = int ? ybar : 0.5
        let sumWY = ybar * sumW
        let ll0 = (sumWY > 0 ? sumWY * log(mu0) : 0) + (sumW - sumWY > 0 ? (sumW - sumWY) * log(1 - mu0) : 0)
            + binomialConstant
        let nd = Double(nobs)
        let terms = Inference.terms(names: allNames, estimates: beta, covariance: cov, level: options.confidenceLevel, studentDF: nil)
        return LogisticRegressionResult(terms: terms, coefficients: beta, covariance: cov, covarianceKind: covarianceKind,
                                        nobs: nobs, dfResidual: nobs - k, logLikelihood: ll, nullLogLikelihood: ll0,
                                        deviance: 2 * (satLL - ll), nullDeviance: 2 * (satLL - ll0),
                                        aic: -2 * ll + 2 * Double(k), bic: -2 * ll + log(nd) * Double(k),
                                        pseudoRSquared: 1 - ll / ll0, iterations: iterations, converged: converged,
                                        hasIntercept: int)
    }

    /// `Σ log C(mᵢ, mᵢyᵢ)` over rows with a proportion response, `C` through `lgamma` (so that
    /// a non-integer count of successes, m·y, gets the continuous extension, as statsmodels does).
    static func logBinomialCoefficients(y: [Double], w: [Double]) -> Double {
        var total = 0.0
        for i in y.indices where w[i] > 0 && y[i] > 0 && y[i] < 1 {
            let m = w[i], s = m * y[i]
            total += lgamma(m + 1) - lgamma(s + 1) - lgamma(m - s + 1)
        }
        return total
    }

    private static func columnScales(_ x: Matrix, int: Bool) -> [Double] {
        var s: [Double] = int ? [1] : []
        for j in 0..<x.columns {
            var mean = 0.0, m2 = 0.0
            for i in 0..<x.rows { let v = x.storage[j * x.rows + i]; mean += v; m2 += v * v }
            let n = Double(max(x.rows, 1))
            mean /= n
            s.append(max((m2 / n - mean * mean), 0).squareRoot())
        }
        return s
    }

    /// A `.rankDeficient` error naming the aliased terms, or nil when the design has full rank.
    private static func collinearityError(x: Matrix, names: [String], int: Bool, weights: [Double]?) throws -> NumericsError? {
        let aliased = try DesignRank.aliasedTerms(x: x, names: names, intercept: int, weights: weights)
        guard !aliased.isEmpty else { return nil }
        return NumericsError(.rankDeficient,
                             "the design is rank deficient (this is not separation); aliased (linearly dependent) terms: \(aliased.joined(separator: ", ")). Drop or combine them",
                             terms: aliased)
    }

    /// The terms a separating direction needs. The coefficients diverge along a direction `v` with
    /// `x̃ᵢ·v ≥ 0` where y = 1 and `≤ 0` where y = 0 (= 0 for proportions); the last Newton step points
    /// along it. Terms are dropped from `v`, smallest scaled component first, while what is left
    /// still separates; the indices that remain are returned (nil when `v` does not separate).
    static func separatingTerms(x: Matrix, y: [Double], w: [Double]?, int: Bool, direction: [Double],
                                scales: [Double]) -> [Int]? {
        let n = x.rows, p = x.columns, k = direction.count
        guard k == p + (int ? 1 : 0), direction.contains(where: { $0 != 0 }) else { return nil }
        // With an intercept its component is free (it only shifts the hyperplane): the slopes
        // separate when every y = 0 margin is ≤ every y = 1 margin, with any proportions in between
        // all on one value. Without one the hyperplane passes through 0.
        func separates(_ v: [Double]) -> Bool {
            var margins = [Double](repeating: 0, count: n)
            let off = int ? 1 : 0
            for j in 0..<p where v[j + off] != 0 {
                let c = v[j + off], base = j * n
                for i in 0..<n { margins[i] += c * x.storage[base + i] }
            }
            var lowest = Double.infinity, highest = -Double.infinity
            for i in 0..<n where (w?[i] ?? 1) > 0 { lowest = min(lowest, margins[i]); highest = max(highest, margins[i]) }
            let top = int ? max(highest - lowest, 0) : max(abs(lowest), abs(highest))
            let tol = 1e-6 * top
            var maxZero = -Double.infinity, minOne = Double.infinity
            var minMid = Double.infinity, maxMid = -Double.infinity
            for i in 0..<n where (w?[i] ?? 1) > 0 {
                let m = margins[i]
                if y[i] == 1 { minOne = min(minOne, m) } else if y[i] == 0 { maxZero = max(maxZero, m) }
                else { minMid = min(minMid, m); maxMid = max(maxMid, m) }
            }
            if !int {
                guard top > 0 else { return false }
                return maxZero <= tol && minOne >= -tol && (minMid > maxMid || (minMid >= -tol && maxMid <= tol))
            }
            if top == 0 { return maxZero == -.infinity || minOne == .infinity }   // intercept alone: one class
            guard maxZero <= minOne + tol else { return false }
            return minMid > maxMid || (maxMid - minMid <= tol && minMid >= maxZero - tol && maxMid <= minOne + tol)
        }
        var v = direction
        guard separates(v) else { return nil }
        for j in (0..<k).sorted(by: { abs(v[$0]) * scales[$0] < abs(v[$1]) * scales[$1] }) where v[j] != 0 && !(int && j == 0) {
            var trial = v
            trial[j] = 0
            if separates(trial) { v = trial }
        }
        return (0..<k).filter { v[$0] != 0 }
    }

    private static func separationError(names: [String], needed: [Int], int: Bool, reason: String) -> NumericsError {
        // the intercept only places the separating hyperplane; it is named only when the
        // response has a single value, and then the slopes are not to blame
        let slopes = needed.filter { !(int && $0 == 0) }
        let offenders = slopes.isEmpty ? (int ? [names[0]] : []) : slopes.map { names[$0] }
        return NumericsError(.separation,
                             "complete or quasi-complete separation: \(reason); the maximum-likelihood estimates do not exist. Offending terms: \(offenders.joined(separator: ", ")). Remove or merge them, or fit with an L2 penalty",
                             terms: offenders)
    }
}

@inline(__always) func logistic(_ eta: Double) -> Double {
    eta >= 0 ? 1 / (1 + exp(-eta)) : exp(eta) / (1 + exp(eta))
}


/// `y·log μ + (1−y)·log(1−μ)` from η without cancellation.
@inline(__always) func logLikelihoodTerm(_ y: Double, _ eta: Double) -> Double {
    // log μ = −log1p(e^{−η}), log(1−μ) = −log1p(e^{η})
    let logMu = eta >= 0 ? -log1p(exp(-eta)) : eta - log1p(exp(eta))
    let log1mMu = eta >= 0 ? -eta - log1p(exp(-eta)) : -log1p(exp(eta))
    return (y > 0 ? y * logMu : 0) + (y < 1 ? (1 - y) * log1mMu : 0)
}

/// Unit deviance `2[y log(y/μ) + (1−y) log((1−y)/(1−μ))]`.
@inline(__always) func unitDeviance(_ y: Double, _ eta: Double) -> Double {
    var sat = 0.0
    if y > 0 && y < 1 { sat = y * log(y) + (1 - y) * log(1 - y) }
    return 2 * (sat - logLikelihoodTerm(y, eta))
}
