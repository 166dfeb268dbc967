import Foundation
import Testing
@testable import Statistics

@Suite struct LogisticTests {
    static func ucla() throws -> (Matrix, [Double], [Int]) {
        let text = try String(contentsOf: Refdata.url("logistic/binary.csv"), encoding: .utf8)
        var rows: [[Double]] = [], y: [Double] = [], rank: [Int] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").compactMap { Double($0) }
            y.append(f[0]); rank.append(Int(f[3]))
            rows.append([f[1], f[2], f[3] == 2 ? 1 : 0, f[3] == 3 ? 1 : 0, f[3] == 4 ? 1 : 0])
        }
        return (try Matrix(rowMajor: rows), y, rank)
    }

    @Test func uclaAdmissionsMatchesStatsmodelsAndR() throws {
        let ref = try #require(try Refdata.json("logistic/ucla.json") as? [String: Any])
        let (x, y, rank) = try Self.ucla()
        let fit = try LogisticRegression.fit(x: x, y: y, termNames: ["gre", "gpa", "rank2", "rank3", "rank4"])
        let est = (try Refdata.doubles(ref, "estimates"))
        let se = (try Refdata.doubles(ref, "std_errors"))
        for j in est.indices {
            #expect(relErr(fit.coefficients[j], est[j]) < 1e-8)
            #expect(relErr(fit.terms[j].stdError, se[j]) < 1e-8)
        }
        // R glm: residual deviance 458.5175 on 394 df, AIC 470.5175; intercept −3.989979073
        #expect(abs(fit.coefficients[0] - -3.989979073) < 1e-8)
        #expect(fit.dfResidual == 394)
        #expect(relErr(fit.logLikelihood, Refdata.double(ref["log_likelihood"])) < 1e-9)
        #expect(relErr(fit.nullLogLikelihood, Refdata.double(ref["null_log_likelihood"])) < 1e-9)
        #expect(relErr(fit.deviance, Refdata.double(ref["deviance"])) < 1e-9)
        #expect(relErr(fit.aic, Refdata.double(ref["aic"])) < 1e-9)
        #expect(relErr(fit.bic, Refdata.double(ref["bic"])) < 1e-9)
        #expect(relErr(fit.pseudoRSquared, Refdata.double(ref["pseudo_r_squared"])) < 1e-8)
        #expect(fit.converged)
        var o = LogisticRegressionOptions()
        o.covariance = .cluster(rank)
        let cl = try LogisticRegression.fit(x: x, y: y, options: o)
        let cse = (try Refdata.doubles(ref, "cluster_by_rank_std_errors"))
        for j in cse.indices { #expect(relErr(cl.terms[j].stdError, cse[j]) < 1e-7) }
    }

    @Test func spectorMatchesStatsmodels() throws {
        let ref = try #require(try Refdata.json("logistic/spector.json") as? [String: Any])
        let text = try String(contentsOf: Refdata.url("logistic/spector.csv"), encoding: .utf8)
        var rows: [[Double]] = [], y: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").compactMap { Double($0) }
            rows.append([f[0], f[1], f[2]]); y.append(f[3])
        }
        let fit = try LogisticRegression.fit(x: try Matrix(rowMajor: rows), y: y)
        let est = (try Refdata.doubles(ref, "estimates"))
        let se = (try Refdata.doubles(ref, "std_errors"))
        for j in est.indices {
            #expect(relErr(fit.coefficients[j], est[j]) < 1e-8)
            #expect(relErr(fit.terms[j].stdError, se[j]) < 1e-8)
        }
        #expect(relErr(fit.logLikelihood, Refdata.double(ref["log_likelihood"])) < 1e-9)
        #expect(relErr(fit.deviance, Refdata.double(ref["deviance"])) < 1e-9)
        #expect(relErr(fit.aic, Refdata.double(ref["aic"])) < 1e-9)
    }

    /// Coefficients to 1e-12, SEs to 1e-10 and z and p-values against statsmodels (whose
    /// coefficients agree with a 50-digit mpmath Newton fit to 1e-15), on both references; the
    /// p-values also against the normal tail computed here from statsmodels' own z.
    @Test(arguments: LogisticSeparationTests.references)
    func estimatesAndPValuesMatchStatsmodels(name: String) throws {
        let ref = try LogisticReference.load(name)
        let fit = try LogisticRegression.fit(x: try Matrix(columns: ref.columns), y: ref.y, termNames: ref.terms)
        #expect(fit.terms.count == ref.estimates.count)
        for j in ref.estimates.indices {
            #expect(relErr(fit.coefficients[j], ref.estimates[j]) < 1e-12, "\(name) coefficient \(j)")
            #expect(relErr(fit.terms[j].stdError, ref.stdErrors[j]) < 1e-10, "\(name) SE \(j)")
            #expect(relErr(fit.terms[j].pValue, ref.pValues[j]) < 1e-9, "\(name) p \(j)")
            // p = 2·Φ(−|z|) = erfc(|z|/√2)
            let z = ref.estimates[j] / ref.stdErrors[j]
            #expect(relErr(fit.terms[j].pValue, erfc(abs(z) / 2.0.squareRoot())) < 1e-9)
        }
    }

    /// x1 perfectly separates y (complete separation); x2 is noise.
    @Test func completeSeparationIsDetected() throws {
        let x1: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let x2: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
        let y: [Double] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        let x = try Matrix(columns: [x1, x2])
        #expect {
            try LogisticRegression.fit(x: x, y: y, termNames: ["x1", "x2"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            // x2 is noise: the separating hyperplane needs x1 alone (and the intercept to place it)
            return e.code == .separation && e.terms == ["x1"]
        }
        var o = LogisticRegressionOptions()
        o.l2Penalty = 1
        let penalized = try LogisticRegression.fit(x: x, y: y, termNames: ["x1", "x2"], options: o)
        #expect(penalized.converged && penalized.coefficients[1] > 0)
    }

    /// Quasi-complete: y = 1 whenever d = 1, mixed when d = 0.
    @Test func quasiCompleteSeparationIsDetected() throws {
        let d: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let z: [Double] = [1, 2, 3, 4, 5, 6, 2, 4, 1, 3]
        let y: [Double] = [0, 1, 0, 1, 1, 0, 1, 1, 1, 1]
        #expect {
            try LogisticRegression.fit(x: try Matrix(columns: [d, z]), y: y, termNames: ["d", "z"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            return e.code == .separation && e.terms == ["d"]
        }
    }

    /// A response with one value is not separation by any term: it is reported as such.
    @Test func singleOutcomeIsRefused() throws {
        let x = try Matrix(columns: [[1, 2, 3, 4, 5]])
        #expect {
            try LogisticRegression.fit(x: x, y: [1, 1, 1, 1, 1])
        } throws: { error in
            (error as? NumericsError).map { $0.code == .invalidData && $0.message.contains("both outcomes") } ?? false
        }
    }
}

@Suite struct LogisticWeightsAndPenaltyTests {
    /// Integer case weights must give exactly the fit of the data with those rows repeated.
    @Test func frequencyWeightsEqualRepeatedRows() throws {
        let (x, y, _) = try LogisticTests.ucla()
        let n = x.rows, p = x.columns
        let weights = (0..<n).map { Double($0 % 3 + 1) }
        var o = LogisticRegressionOptions()
        o.weights = weights
        let weighted = try LogisticRegression.fit(x: x, y: y, options: o)
        var rows: [[Double]] = [], yy: [Double] = []
        for i in 0..<n {
            for _ in 0..<Int(weights[i]) {
                rows.append((0..<p).map { x.storage[$0 * n + i] })
                yy.append(y[i])
            }
        }
        let repeated = try LogisticRegression.fit(x: try Matrix(rowMajor: rows), y: yy)
        for j in weighted.coefficients.indices {
            #expect(relErr(weighted.coefficients[j], repeated.coefficients[j]) < 1e-10)
            #expect(relErr(weighted.terms[j].stdError, repeated.terms[j].stdError) < 1e-9)
        }
        #expect(relErr(weighted.logLikelihood, repeated.logLikelihood) < 1e-12)
    }

    /// Proportions with weights = trials are a binomial GLM: the same estimates as the data
    /// expanded to 0/1 rows, and ℓ (so ℓ₀, AIC, McFadden R²) larger by Σ log C(m, s), here
    /// computed as a sum of logs (not through lgamma).
    @Test func weightedProportionsHaveTheBinomialGLMLikelihood() throws {
        let dose: [Double] = [1, 2, 3, 4, 5, 6]
        let trials: [Double] = [10, 12, 9, 15, 11, 8]
        let successes: [Double] = [1, 3, 4, 9, 8, 7]
        var o = LogisticRegressionOptions()
        o.weights = trials
        let grouped = try LogisticRegression.fit(x: try Matrix(columns: [dose]), y: zip(successes, trials).map { $0 / $1 }, options: o)
        var xs: [Double] = [], ys: [Double] = []
        for i in dose.indices {
            for r in 0..<Int(trials[i]) { xs.append(dose[i]); ys.append(Double(r) < successes[i] ? 1 : 0) }
        }
        let binary = try LogisticRegression.fit(x: try Matrix(columns: [xs]), y: ys)
        func logChoose(_ m: Double, _ s: Double) -> Double {
            var v = 0.0
            var k = 1.0
            while k <= s { v += log(m - s + k) - log(k); k += 1 }
            return v
        }
        let constant = zip(trials, successes).reduce(0) { $0 + logChoose($1.0, $1.1) }
        for j in 0..<2 { #expect(relErr(grouped.coefficients[j], binary.coefficients[j]) < 1e-10) }
        #expect(relErr(grouped.logLikelihood, binary.logLikelihood + constant) < 1e-12)
        #expect(relErr(grouped.nullLogLikelihood, binary.nullLogLikelihood + constant) < 1e-12)
        #expect(relErr(grouped.aic, -2 * (binary.logLikelihood + constant) + 4) < 1e-12)
        #expect(relErr(grouped.pseudoRSquared, 1 - (binary.logLikelihood + constant) / (binary.nullLogLikelihood + constant)) < 1e-12)
        // statsmodels 0.15.0 GLM(np.column_stack([s, m - s]), X, family=Binomial()).fit(tol=1e-14):
        // llf −7.601071357591239, AIC 19.20214271518248, McFadden R² 0.5478459433431988 (its
        // var_weights/freq_weights forms on s/m give −24.14: they leave out log C(m, s))
        #expect(relErr(grouped.logLikelihood, -7.601071357591239) < 1e-10)
        #expect(relErr(grouped.aic, 19.20214271518248) < 1e-10)
        #expect(relErr(grouped.pseudoRSquared, 0.5478459433431988) < 1e-9)
    }

    /// At the L2-penalised optimum the score equals λ·β for every penalised coefficient and 0 for the intercept.
    @Test func penalisedOptimumIsStationary() throws {
        let (x, y, _) = try LogisticTests.ucla()
        let n = x.rows, p = x.columns
        var o = LogisticRegressionOptions()
        o.l2Penalty = 3
        let fit = try LogisticRegression.fit(x: x, y: y, options: o)
        let b = fit.coefficients
        var score = [Double](repeating: 0, count: p + 1)
        for i in 0..<n {
            var eta = b[0]
            for j in 0..<p { eta += b[j + 1] * x.storage[j * n + i] }
            let r = y[i] - 1 / (1 + exp(-eta))
            score[0] += r
            for j in 0..<p { score[j + 1] += r * x.storage[j * n + i] }
        }
        #expect(abs(score[0]) < 1e-8)
        for j in 1...p { #expect(abs(score[j] - 3 * b[j]) < 1e-6 * max(1, abs(score[j]))) }
    }
}
