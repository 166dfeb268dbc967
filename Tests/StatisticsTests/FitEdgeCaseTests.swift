import ArgumentParser
import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics

/// Designs at the edges: collinearity in a logistic fit, intercept-only models, full dummy coding
/// without an intercept, level order, rare-level pooling, and options that do not go together.
@Suite struct FitEdgeCaseTests {
    /// A third column that is the sum of two others makes the information matrix singular: that is
    /// collinearity, and must be reported as such (naming an aliased term), not as separation.
    @Test func logisticCollinearityIsReportedAsAliasedTerms() throws {
        let (x, y, _) = try LogisticTests.ucla()
        let gre = x.column(0), gpa = x.column(1)
        let sum = zip(gre, gpa).map { $0 + $1 }
        let design = try Matrix(columns: [gre, gpa, sum])
        #expect {
            try LogisticRegression.fit(x: design, y: y, termNames: ["gre", "gpa", "total"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            return e.code == .rankDeficient && e.terms.count == 1
                && ["gre", "gpa", "total"].contains(e.terms[0]) && e.message.contains("not separation")
        }
        // a column constant on every row is aliased with the intercept, and only it is named
        let constant = try Matrix(columns: [gre, [Double](repeating: 7, count: x.rows)])
        #expect {
            try LogisticRegression.fit(x: constant, y: y, termNames: ["gre", "seven"])
        } throws: { error in
            (error as? NumericsError).map { $0.code == .rankDeficient && $0.terms == ["seven"] } ?? false
        }
    }

    /// `y ~ 1`: the estimate is the mean, its SE s/√n (linear) or 1/√(n·p(1−p)) (logistic).
    @Test func interceptOnlyModels() throws {
        let linear = try FitCommandTests.tempCSV("y\n1\n2\n3\n4\n6\n")
        let out = try FitCommandTests.render(["fit", "linear", "--data", linear, "--formula", "y ~ 1", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let term = try #require((json["terms"] as? [[String: Any]])?.first)
        let model = try #require(json["model"] as? [String: Any])
        #expect(term["term"] as? String == "(Intercept)")
        #expect(abs(Refdata.double(term["estimate"]) - 3.2) < 1e-14)
        // Σ(y − 3.2)² = 14.8, s² = 3.7, SE = √(3.7/5)
        #expect(relErr(Refdata.double(term["std_error"]), 0.74.squareRoot()) < 1e-14)
        #expect(model["df_residual"] as? Int == 4)
        // no slopes: there is no F test, and JSON says so with null rather than failing
        #expect(model["statistic"] is NSNull)
        #expect(abs(Refdata.double(model["r_squared"])) < 1e-12)
        let text = try FitCommandTests.render(["fit", "linear", "--data", linear, "--formula", "y ~ 1"])
        #expect(!text.contains("F-statistic") && !text.contains("nan"))

        let binary = try FitCommandTests.tempCSV("y\n0\n1\n1\n0\n1\n")
        let lout = try FitCommandTests.render(["fit", "logistic", "--data", binary, "--formula", "y ~ 1", "--format", "json"])
        let ljson = try #require(try JSONSerialization.jsonObject(with: Data(lout.utf8)) as? [String: Any])
        let lterm = try #require((ljson["terms"] as? [[String: Any]])?.first)
        #expect(relErr(Refdata.double(lterm["estimate"]), log(1.5)) < 1e-12)
        #expect(relErr(Refdata.double(lterm["std_error"]), 1 / 1.2.squareRoot()) < 1e-10)
    }

    /// Without an intercept the first categorical term keeps every level: its coefficients are the
    /// group means (a, a, b, b, c → 2, 5, 10).
    @Test func noInterceptCategoricalUsesEveryLevel() throws {
        let t = try DataFrame(csv: "y,g,x\n1,a,1\n3,a,2\n4,b,3\n6,b,1\n10,c,5\n")
        let frame = try ModelFrame(data: t, formula: try Formula("y ~ C(g) - 1"))
        #expect(frame.termNames == ["ga", "gb", "gc"])
        let fit = try LinearRegression.fit(x: frame.x, y: frame.y, termNames: frame.termNames,
                                           options: { var o = LinearRegressionOptions(); o.intercept = false; return o }())
        for (b, mean) in zip(fit.coefficients, [2.0, 5, 10]) { #expect(abs(b - mean) < 1e-13) }
        // with an intercept, the first level is the reference again
        #expect(try ModelFrame(data: t, formula: try Formula("y ~ C(g)")).termNames == ["gb", "gc"])
        // only the first categorical main effect is fully coded (the second would be aliased)
        let two = try DataFrame(csv: "y,g,h\n1,a,u\n2,b,v\n3,a,v\n4,b,u\n5,a,u\n")
        #expect(try ModelFrame(data: two, formula: try Formula("y ~ C(g) + C(h) - 1")).termNames == ["ga", "gb", "hv"])
    }

    /// Numbers sort numerically and before words, whatever order the rows come in, so the reference
    /// level is the same for the same data.
    @Test func levelOrderIsDeterministicForMixedColumns() throws {
        #expect(["b", "10", "a", "2", "1.5"].sorted(by: levelOrder) == ["1.5", "2", "10", "a", "b"])
        let rows = [("1", "b"), ("2", "10"), ("3", "a"), ("4", "2"), ("5", "b"), ("6", "2")]
        var names: Set<[String]> = []
        for shift in 0..<rows.count {
            let rotated = Array(rows[shift...] + rows[..<shift])
            let t = try DataFrame(csv: "y,g\n" + rotated.map { "\($0.0),\($0.1)" }.joined(separator: "\n"))
            names.insert(try ModelFrame(data: t, formula: try Formula("y ~ C(g)")).termNames)
        }
        #expect(names == [["g10", "ga", "gb"]])
    }

    /// Levels seen on fewer rows than --min-level-count become one level `other`, and are reported.
    @Test func rareLevelsArePooledAndReported() throws {
        let csv = try FitCommandTests.tempCSV("y,g\n1,a\n2,a\n3,a\n2,b\n4,b\n5,b\n9,c\n8,d\n")
        let out = try FitCommandTests.render(["fit", "linear", "--data", csv, "--formula", "y ~ C(g)",
                                              "--min-level-count", "2", "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect((json["terms"] as? [[String: Any]])?.map { $0["term"] as? String ?? "" } == ["(Intercept)", "gb", "gother"])
        #expect((json["pooled_levels"] as? [String: [String]]) == ["g": ["c", "d"]])
        // 'other' = mean(9, 8) − mean(1, 2, 3) = 8.5 − 2
        let other = try #require((json["terms"] as? [[String: Any]])?.last)
        #expect(abs(Refdata.double(other["estimate"]) - 6.5) < 1e-12)
        let text = try FitCommandTests.render(["fit", "linear", "--data", csv, "--formula", "y ~ C(g)", "--min-level-count", "2"])
        #expect(text.contains("Rare levels pooled: g (c, d) into 'other'"))
    }

    @Test func conflictingAndBadOptionsAreRejected() throws {
        let csv = try FitCommandTests.tempCSV("y,x,s,w\n1,2,a,1\n2,3,a,x\n4,5,b,1\n3,1,b,2\n5,4,c,1\n")
        do {
            _ = try FitCommandTests.render(["fit", "linear", "--data", csv, "--formula", "y ~ x", "--cluster", "s", "--robust", "HC1"])
            Issue.record("--cluster with --robust was accepted")
        } catch {
            #expect(AIL.message(for: error).contains("--cluster and --robust"))
        }
        do {
            _ = try FitCommandTests.render(["fit", "linear", "--data", csv, "--formula", "y ~ x", "--weights", "w"])
            Issue.record("a non-numeric weight was accepted")
        } catch let e as NumericsError {
            // a data error (exit 65), naming the column, the row and the value
            #expect(FailureReport.exitCode(for: e) == 65)
            #expect(e.description.contains("'w'") && e.description.contains("row 3") && e.description.contains("'x'"), "\(e)")
        }
    }

    /// The logistic report gives odds ratios exp(β) with exp(CI), as R users compute by hand.
    @Test func logisticTextReportsOddsRatios() throws {
        let ref = try #require(try Refdata.json("logistic/ucla.json") as? [String: Any])
        let gpa = (try Refdata.doubles(ref, "estimates"))[2]
        let se = (try Refdata.doubles(ref, "std_errors"))[2]
        let csv = try Refdata.url("logistic/binary.csv").path
        let out = try FitCommandTests.render(["fit", "logistic", "--data", csv, "--formula", "admit ~ gre + gpa + C(rank)"])
        let line = try #require(out.split(separator: "\n").last { $0.hasPrefix("gpa ") })
        let fields = line.split(separator: " ").compactMap { Double($0) }
        #expect(fields.count == 3)
        #expect(relErr(fields[0], exp(gpa)) < 1e-5)
        #expect(relErr(fields[1], exp(gpa - 1.959963984540054 * se)) < 1e-5)
        #expect(relErr(fields[2], exp(gpa + 1.959963984540054 * se)) < 1e-5)
    }

    /// A dummy that is 1 on a single row fits that row exactly (leverage 1): HC2/HC3 divide by
    /// 1 − h, so they are refused with the observation named; HC1 does not need h and still works.
    @Test func leverageOneIsRefusedByHC2AndHC3() throws {
        let x = try Matrix(columns: [[1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 1]])
        let y: [Double] = [1, 3, 2, 5, 4, 9]
        for kind in [CovarianceKind.hc2, .hc3] {
            var o = LinearRegressionOptions()
            o.covariance = kind
            #expect {
                try LinearRegression.fit(x: x, y: y, options: o)
            } throws: { error in
                (error as? NumericsError).map { $0.code == .invalidData && $0.message.contains("observation 6") } ?? false
            }
        }
        var o = LinearRegressionOptions()
        o.covariance = .hc1
        let fit = try LinearRegression.fit(x: x, y: y, options: o)
        #expect(fit.terms.allSatisfy { $0.stdError.isFinite })
    }

    /// The residual block is R's five numbers with quantile type 7: for 1…10, 1 3.25 5.5 7.75 10.
    @Test func residualSummaryUsesRsQuantiles() {
        let lines = residualSummary((1...10).reversed().map(Double.init)).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].split(separator: " ").compactMap { Double($0) } == [1, 3.25, 5.5, 7.75, 10])
    }

    /// Two predictors equal up to 1e-9 noise are full rank to LAPACK but useless for inference:
    /// the report says so.
    @Test func nearCollinearityIsWarnedAbout() throws {
        var csv = "y,a,b\n"
        for i in 0..<40 {
            let a = Double(i % 7) + Double(i) / 10
            let b = a + 1e-9 * Double((i * 37) % 11 - 5)
            csv += "\(Double(i % 5) + a),\(a),\(b)\n"
        }
        let path = try FitCommandTests.tempCSV(csv)
        let out = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", "y ~ a + b"])
        #expect(out.contains("Warning: the condition number of the centred, scaled design is large"))
        let clean = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", "y ~ a"])
        #expect(!clean.contains("Warning"))
        // The intercept's SE stays right although the slopes' inverse-Gram entries (~1e15) cancel
        // in x̄ᵀ(XᵀX)⁻¹x̄ (it used to come out as 0). Expected: the normal equations solved in exact
        // rational arithmetic (Python fractions) on the same doubles.
        let json = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", "y ~ a + b", "--format", "json"])
        let terms = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["terms"] as? [[String: Any]])
        let exact: [(estimate: Double, se: Double)] = [(1.604480327762044, 0.5285921532798461),
                                                       (1747723.8523048451, 72558624.32189037),
                                                       (-1747722.7703861892, 72558624.31501926)]
        for (t, e) in zip(terms, exact) {
            // κ ≈ 1.5e9 (1-norm estimate) leaves 5–7 digits: 4.3e-6 measured on the slopes
            #expect(relErr(Refdata.double(t["estimate"]), e.estimate) < 1e-5, "\(t)")
            #expect(relErr(Refdata.double(t["std_error"]), e.se) < 1e-6, "\(t)")
        }
    }

    /// R's coding rule for interactions: a factor keeps every level where the term without it is
    /// absent. `C(g) + C(g):x` is one intercept and one slope per group; exact data y = a_g + s_g·x
    /// with (a, s) = (1, 3), (2, −1), (0, 0.5) give those numbers back.
    @Test func interactionWithoutItsMarginKeepsEveryLevel() throws {
        var csv = "y,x,g\n"
        for (g, a, slope) in [("u", 1.0, 3.0), ("v", 2, -1), ("w", 0, 0.5)] {
            for x in [-1.0, 0.5, 2, 3] { csv += "\(a + slope * x),\(x),\(g)\n" }
        }
        let t = try DataFrame(csv: csv)
        let nested = try ModelFrame(data: t, formula: try Formula("y ~ C(g) + C(g):x"))
        #expect(nested.termNames == ["gv", "gw", "gu:x", "gv:x", "gw:x"])
        let fit = try LinearRegression.fit(x: nested.x, y: nested.y, termNames: nested.termNames)
        for (b, expected) in zip(fit.coefficients, [1.0, 1, -1, 3, -1, 0.5]) { #expect(abs(b - expected) < 1e-12, "\(fit.coefficients)") }
        // with the margin present the reference level is dropped again
        #expect(try ModelFrame(data: t, formula: try Formula("y ~ x + C(g) + C(g):x")).termNames == ["x", "gv", "gw", "gv:x", "gw:x"])
        #expect(try ModelFrame(data: t, formula: try Formula("y ~ C(g):x")).termNames == ["gu:x", "gv:x", "gw:x"])
    }

    /// Formula text R accepts and R refuses: duplicates collapse, `- x` and dangling signs are errors.
    @Test func formulaEdges() throws {
        #expect(try Formula("y ~ x + x").terms == [[.numeric("x")]])
        #expect(try Formula("y ~ a:b + b:a").terms.count == 1)
        #expect(try Formula("y ~ -1 + x").intercept == false)
        #expect(try Formula("y ~ x + 0").intercept == false)
        #expect(try Formula("y ~ 0").terms.isEmpty)
        #expect(try Formula("y ~ x + -1").intercept == false)
        #expect(try Formula("y ~ x + + z").terms.count == 2)
        for bad in ["y ~ x +", "y ~ x - z", "y ~ x + - z", "y ~ "] {
            #expect(throws: NumericsError.self, "\(bad)") { try Formula(bad) }
        }
    }

    /// Data the design cannot use is named: a one-level factor, a duplicated header, hex and
    /// infinite numbers, a column missing on every row; a real level called "other" is not merged
    /// with the pooled rare levels.
    @Test func dataProblemsAreNamed() throws {
        func message(_ csv: String, _ formula: String) -> String {
            do {
                _ = try ModelFrame(data: try DataFrame(csv: csv), formula: try Formula(formula))
                return "no error"
            } catch let e as NumericsError { return e.message } catch { return "\(error)" }
        }
        #expect(message("y,g\n1,a\n2,a\n", "y ~ C(g)").contains("C(g) has a single level ('a')"))
        #expect(message("y,x,x\n1,2,3\n", "y ~ x").contains("names column 'x' twice"))
        #expect(message("y,x\n1,0x10\n2,3\n", "y ~ x").contains("'0x10' is not a number"))
        #expect(message("y,x\n1,inf\n2,3\n", "y ~ x").contains("row 2: 'inf' is not a finite number"))
        #expect(message("y,x,z\n1,,4\n2,NA,5\n", "y ~ x + z").contains("missing on every row: x"))
        #expect(message("y,x\n1,NAN\n2,3\n3,4\n", "y ~ x") == "no error")
        let t = try DataFrame(csv: "y,g\n1,other\n2,other\n3,a\n4,a\n5,r1\n6,r2\n")
        let frame = try ModelFrame(data: t, formula: try Formula("y ~ C(g)"), minLevelCount: 2)
        #expect(frame.termNames == ["gother", "gother_pooled"])
        #expect(frame.pooledLevels == ["g": ["r1", "r2"]])
        #expect(frame.pooledLevelNames == ["g": "other_pooled"])
    }

    /// Without an intercept --standardize only scales (centring would change the model), so the
    /// slope is the raw slope times the scale and R² is unchanged.
    @Test func standardizeWithoutInterceptOnlyScales() throws {
        let t = try DataFrame(csv: "y,x\n1,2\n3,5\n2,3\n6,9\n4,6\n")
        let raw = try ModelFrame(data: t, formula: try Formula("y ~ x - 1"))
        let scaled = try ModelFrame(data: t, formula: try Formula("y ~ x - 1"), standardize: true)
        var o = LinearRegressionOptions()
        o.intercept = false
        let a = try LinearRegression.fit(x: raw.x, y: raw.y, options: o)
        let b = try LinearRegression.fit(x: scaled.x, y: scaled.y, options: o)
        let scale = try #require(scaled.standardization.first)
        #expect(scale.mean == 0)
        // Σx² = 155 over n − 1 = 4
        #expect(abs(scale.standardDeviation - (155.0 / 4).squareRoot()) < 1e-14)
        #expect(abs(b.coefficients[0] - a.coefficients[0] * scale.standardDeviation) < 1e-12)
        #expect(abs(b.rSquared - a.rSquared) < 1e-14)
    }

    /// Clusters whose rows all have weight 0 carry no data and are not counted in G: the fit equals
    /// the fit without those rows, and t/F use G − 1 degrees of freedom (shown in the F line).
    @Test func zeroWeightClustersAreNotCounted() throws {
        var rows: [(y: Double, x: Double, cluster: Int, w: Double)] = []
        for i in 0..<24 {
            let x = Double(i % 7) - 3, cluster = i / 6
            rows.append((1 + 0.5 * x + Double((i * 13) % 5) / 4, x, cluster, cluster == 3 ? 0 : 1 + Double(i % 3)))
        }
        let all = try Matrix(columns: [rows.map(\.x)])
        var o = LinearRegressionOptions()
        o.weights = rows.map(\.w)
        o.covariance = .cluster(rows.map(\.cluster))
        let withZeros = try LinearRegression.fit(x: all, y: rows.map(\.y), options: o)
        let kept = rows.filter { $0.w > 0 }
        var o2 = LinearRegressionOptions()
        o2.weights = kept.map(\.w)
        o2.covariance = .cluster(kept.map(\.cluster))
        let without = try LinearRegression.fit(x: try Matrix(columns: [kept.map(\.x)]), y: kept.map(\.y), options: o2)
        #expect(withZeros.covarianceKind.label == "cluster-robust (3 clusters)")
        #expect(withZeros.inferenceDF == 2)
        for (a, b) in zip(withZeros.terms, without.terms) {
            #expect(relErr(a.stdError, b.stdError) < 1e-12)
            #expect(relErr(a.pValue, b.pValue) < 1e-10)
        }
        var csv = "y,x,c,w\n"
        for r in rows { csv += "\(r.y),\(r.x),c\(r.cluster),\(r.w)\n" }
        let out = try FitCommandTests.render(["fit", "linear", "--data", try FitCommandTests.tempCSV(csv), "--formula", "y ~ x",
                                              "--weights", "w", "--cluster", "c"])
        #expect(out.contains("on 1 and 2 DF"), "\(out)")
    }
}
