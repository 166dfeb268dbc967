import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics

/// Degenerate fits never print NaN or infinity as numbers; penalised fits say they are penalised.
@Suite struct FitDegenerateAndPenaltyTests {
    static func model(_ out: String) throws -> [String: Any] {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        return try #require(json["model"] as? [String: Any])
    }

    /// An exact fit (y = 2x) and `y ~ y`: a warning, zero SEs, undefined t/p/F/ℓ (null in JSON).
    @Test(arguments: [("x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n", "y ~ x"), ("x,y\n1,2\n2,5\n3,6\n4,9\n5,10\n", "y ~ y")])
    func exactFitIsAWarningWithUndefinedStatistics(csv: String, formula: String) throws {
        let path = try FitCommandTests.tempCSV(csv)
        let text = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", formula])
        for bad in ["nan", "inf", "-nan"] {
            #expect(!text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }).contains { $0 == bad[...] },
                    "\(bad) printed:\n\(text)")
        }
        #expect(!text.contains("inf,") && !text.contains(": inf") && !text.contains("nan"))
        #expect(text.contains("Warning: the model fits the response exactly"))
        #expect(text.contains("Log-likelihood: undefined"))
        #expect(text.contains("F-statistic: undefined"))
        let json = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", formula, "--format", "json"])
        let model = try Self.model(json)
        #expect(model["exact_fit"] as? Bool == true)
        for key in ["log_likelihood", "aic", "bic", "statistic", "p_value"] { #expect(model[key] is NSNull, "\(key)") }
        #expect(model["r_squared"] as? Double == 1)
        let terms = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])["terms"] as? [[String: Any]]
        for t in try #require(terms) {
            #expect(t["statistic"] is NSNull && t["p_value"] is NSNull)
            #expect(t["std_error"] as? Double == 0)
        }
    }

    /// NIST Wampler1 (an exact degree-5 polynomial) is an exact fit and keeps its certified values.
    @Test func wampler1IsAnExactFit() throws {
        let obj = try #require(try Refdata.json("nist/Wampler1.json") as? [String: Any])
        let ys = try #require(obj["y"] as? [Any]).map { Refdata.double($0) }
        let xs = try #require(obj["x"] as? [[Any]]).map { $0.map { Refdata.double($0) } }
        let x = try Matrix(rowMajor: xs.map { r in (1...5).map { pow(r[0], Double($0)) } })
        let fit = try LinearRegression.fit(x: x, y: ys)
        #expect(fit.exactFit)
        for c in fit.coefficients { #expect(abs(c - 1) < 1e-13) }
        #expect(fit.logLikelihood.isNaN && fit.fStatistic.isNaN && fit.terms.allSatisfy { $0.pValue.isNaN })
    }

    /// A response of 1e300: fitted on a scaled copy, so nothing overflows; t, R², F equal the fit
    /// of y/1e300 and ℓ moves by −n·log(1e300·…) exactly as the scale says.
    @Test func hugeResponseIsFittedWithoutOverflow() throws {
        let x = try Matrix(columns: [[1, 2, 3, 4, 5]])
        let small: [Double] = [1, 3, 2, 5, 4]
        let big = small.map { $0 * 1e300 }
        let a = try LinearRegression.fit(x: x, y: small)
        let b = try LinearRegression.fit(x: x, y: big)
        #expect(!b.exactFit)
        #expect(relErr(b.coefficients[1], 0.8e300) < 1e-14)
        #expect(relErr(b.terms[1].statistic, a.terms[1].statistic) < 1e-12)
        #expect(relErr(b.rSquared, 0.64) < 1e-14 && relErr(b.fStatistic, a.fStatistic) < 1e-12)
        #expect(relErr(b.sigma, a.sigma * 1e300) < 1e-14)
        #expect(relErr(b.logLikelihood, a.logLikelihood - 5 * log(1e300)) < 1e-12)
        let path = try FitCommandTests.tempCSV("x,y\n" + zip([1, 2, 3, 4, 5], big).map { "\($0),\($1)" }.joined(separator: "\n") + "\n")
        let text = try FitCommandTests.render(["fit", "linear", "--data", path, "--formula", "y ~ x"])
        #expect(!text.contains("nan") && !text.contains("inf"), "\(text)")
        #expect(text.contains("Multiple R-squared:  0.64"))
    }

    /// `--penalty`: the call names the penalty, the SE label says what they are, no stars, and
    /// JSON carries the penalty (null without one).
    @Test(arguments: ["linear", "logistic"])
    func penaltyIsShownAndExplained(kind: String) throws {
        let csv = try Refdata.url("logistic/binary.csv").path
        let base = ["fit", kind, "--data", csv, "--formula", "admit ~ gre + gpa + C(rank)"]
        let text = try FitCommandTests.render(base + ["--penalty", "L2=0.5"])
        #expect(text.contains("L2 penalty λ = 0.5"))
        #expect(text.contains("of the penalised estimator at fixed λ"))
        #expect(!text.contains("Signif. codes") && !text.contains("*"))
        let plain = try FitCommandTests.render(base)
        #expect(plain.contains("Signif. codes") && !plain.contains("penalty"))
        let model = try Self.model(try FitCommandTests.render(base + ["--penalty", "L2=0.5", "--format", "json"]))
        let penalty = try #require(model["penalty"] as? [String: Any])
        #expect(penalty["kind"] as? String == "L2" && penalty["lambda"] as? Double == 0.5)
        #expect(try Self.model(try FitCommandTests.render(base + ["--format", "json"]))["penalty"] is NSNull)
    }
}
