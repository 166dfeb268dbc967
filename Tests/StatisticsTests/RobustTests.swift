import Foundation
import Testing
@testable import Statistics

@Suite struct RobustCovarianceTests {
    /// y = (1, 2, 2, 4, 5) on x = (0, 1, 2, 3, 4), clusters {0,0,1,1,2}.
    /// By hand: x̄ = 2, Sxx = 10, ȳ = 2.8, Sxy = 3.6+0.8+0+1.2+4.4 = 10 → b = 1, a = 0.8.
    /// Fitted 0.8, 1.8, 2.8, 3.8, 4.8; residuals e = (0.2, 0.2, −0.8, 0.2, 0.2).
    /// (XᵀX)⁻¹ = [[0.6, −0.2], [−0.2, 0.1]]  (XᵀX = [[5,10],[10,30]], det 50).
    /// HC0 meat = Σ eᵢ² xᵢxᵢᵀ: Σe² = 0.8, Σe²x = 0.04·8 + 0.64·2 = 1.6, Σe²x² = 0.04·26 + 0.64·4 = 3.6.
    ///   Meat = [[0.8, 1.6], [1.6, 3.6]].
    /// B·M·B: slope variance = 0.04·0.8 − 2·0.02·1.6 + 0.01·3.6 = 0.004,
    ///   intercept variance = 0.36·0.8 − 2·0.12·1.6 + 0.04·3.6 = 0.048.
    /// HC1 multiplies by n/(n−k) = 5/3.
    /// Cluster scores uᵍ = Σ eᵢ(1, xᵢ): g0 (0.4, 0.2), g1 (−0.6, −1.0), g2 (0.2, 0.8).
    ///   Meat = [[0.56, 0.84], [0.84, 1.68]]; slope var = 0.04·0.56 − 0.04·0.84 + 0.01·1.68 = 0.0056;
    ///   × G/(G−1)·(n−1)/(n−k) = 1.5·4/3 = 2 → 0.0112.
    @Test func handDerivedHCAndCluster() throws {
        let x = try Matrix(columns: [[0, 1, 2, 3, 4]])
        let y: [Double] = [1, 2, 2, 4, 5]
        var o = LinearRegressionOptions()
        let classical = try LinearRegression.fit(x: x, y: y, options: o)
        #expect(abs(classical.coefficients[0] - 0.8) < 1e-14 && abs(classical.coefficients[1] - 1.0) < 1e-14)
        o.covariance = .hc0
        let hc0 = try LinearRegression.fit(x: x, y: y, options: o)
        #expect(relErr(hc0.covariance[1, 1], 0.004) < 1e-13)
        #expect(relErr(hc0.covariance[0, 0], 0.048) < 1e-13)
        o.covariance = .hc1
        let hc1 = try LinearRegression.fit(x: x, y: y, options: o)
        #expect(relErr(hc1.covariance[1, 1], 0.004 * 5 / 3) < 1e-13)
        o.covariance = .cluster([0, 0, 1, 1, 2])
        let cl = try LinearRegression.fit(x: x, y: y, options: o)
        #expect(relErr(cl.covariance[1, 1], 0.0112) < 1e-13)
    }

    /// Longley against statsmodels (HC0–HC3, clusters of 4 consecutive years, WLS, F, ℓ).
    @Test func longleyAgainstStatsmodels() throws {
        let ref = try #require(try Refdata.json("linear_robust.json") as? [String: Any])
        let obj = try #require(try Refdata.json("nist/Longley.json") as? [String: Any])
        let ys = try #require(obj["y"] as? [Any]).map { Refdata.double($0) }
        let xs = try #require(obj["x"] as? [[Any]]).map { $0.map { Refdata.double($0) } }
        let x = try Matrix(rowMajor: xs)
        func arr(_ k: String) throws -> [Double] { try Refdata.doubles(ref, k) }
        for (label, kind) in [("HC0", CovarianceKind.hc0), ("HC1", .hc1), ("HC2", .hc2), ("HC3", .hc3),
                              ("cluster4", .cluster(try #require(ref["cluster_groups"] as? [Int])))] {
            var o = LinearRegressionOptions()
            o.covariance = kind
            let fit = try LinearRegression.fit(x: x, y: ys, options: o)
            for (j, se) in try arr(label).enumerated() {
                // statsmodels forms these through pinv(X) on Longley (κ ≈ 5e9): it carries ~1e-8 itself
                #expect(relErr(fit.terms[j].stdError, se) < 1e-7, "\(label) term \(j)")
            }
        }
        // With robust errors the overall F is the Wald test on the robust covariance. Expected F:
        // the sandwich and its inverse in exact rational arithmetic (Python fractions) on the
        // certified data; statsmodels 0.14 (OLS(…).fit(cov_type=…).fvalue, via pinv) gives
        // 445.1106500845219 and 227.5718446652812, i.e. it carries ~4e-9 itself. p-values: statsmodels.
        for (kind, f, p) in [(CovarianceKind.hc1, 445.1106483135587, 1.3109491560227e-10),
                             (.hc3, 227.57184492363305, 2.6309850782470614e-09)] {
            var o = LinearRegressionOptions()
            o.covariance = kind
            let fit = try LinearRegression.fit(x: x, y: ys, options: o)
            // HC3's leverages come from the unscaled bread (Longley κ ≈ 5e9): 7.7e-9 measured
            #expect(relErr(fit.fStatistic, f) < (kind == .hc1 ? 1e-9 : 3e-8), "\(kind.label) F \(fit.fStatistic)")
            #expect(relErr(fit.fPValue, p) < 1e-6, "\(kind.label) F p-value")
        }
        let ols = try LinearRegression.fit(x: x, y: ys)
        #expect(relErr(ols.fStatistic, Refdata.double(ref["ols_fvalue"])) < 1e-9)
        #expect(relErr(ols.fPValue, Refdata.double(ref["ols_f_pvalue"])) < 1e-7)
        #expect(relErr(ols.logLikelihood, Refdata.double(ref["ols_log_likelihood"])) < 1e-11)
        #expect(relErr(ols.adjRSquared, Refdata.double(ref["ols_adj_r_squared"])) < 1e-12)
        for (j, pv) in try arr("ols_p_values").enumerated() { #expect(relErr(ols.terms[j].pValue, pv) < 1e-7) }
        var o = LinearRegressionOptions()
        o.weights = try arr("wls_weights")
        let wls = try LinearRegression.fit(x: x, y: ys, options: o)
        for (j, b) in try arr("wls_estimates").enumerated() { #expect(relErr(wls.coefficients[j], b) < 1e-9) }
        for (j, se) in try arr("wls_std_errors").enumerated() { #expect(relErr(wls.terms[j].stdError, se) < 1e-8) }
        #expect(relErr(wls.rSquared, Refdata.double(ref["wls_r_squared"])) < 1e-12)
        #expect(relErr(wls.logLikelihood, Refdata.double(ref["wls_log_likelihood"])) < 1e-11)
    }
}
