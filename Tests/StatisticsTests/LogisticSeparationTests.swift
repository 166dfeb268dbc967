import Foundation
import Testing
@testable import Statistics
import Primitives

/// A logistic reference: design columns (no intercept column), response, and statsmodels' fit.
struct LogisticReference {
    let name: String
    let columns: [[Double]]
    let terms: [String]
    let y: [Double]
    let estimates: [Double]
    let stdErrors: [Double]
    let pValues: [Double]

    /// `ucla_admissions` (rank as three dummies) and `spector_mazzeo`, with statsmodels' estimates
    /// in design order (intercept first). Every array is required: a renamed key fails the test.
    static func load(_ name: String) throws -> LogisticReference {
        let ref = try #require(try Refdata.json("logistic/\(name).json") as? [String: Any])
        let sm = try #require(ref["statsmodels"] as? [String: Any])
        let design = try #require(ref["design_columns"] as? [String])
        func ordered(_ key: String) throws -> [Double] {
            let d = try #require(sm[key] as? [String: Any], "statsmodels.\(key) missing")
            return try design.map { try #require(d[$0].map { Refdata.double($0) }, "\(key)[\($0)] missing") }
        }
        let text = try String(contentsOf: Refdata.url("logistic/\(name).csv"), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline)
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }
        func col(_ h: String) throws -> [Double] {
            let j = try #require(header.firstIndex(of: h), "\(name).csv has no column \(h)")
            return rows.map { $0[j] }
        }
        let columns: [[Double]], y: [Double]
        switch name {
        case "ucla_admissions":
            let rank = try col("rank")
            columns = [try col("gre"), try col("gpa")] + [2.0, 3, 4].map { r in rank.map { $0 == r ? 1 : 0 } }
            y = try col("admit")
        case "spector_mazzeo":
            columns = [try col("GPA"), try col("TUCE"), try col("PSI")]
            y = try col("GRADE")
        default:
            throw NumericsError(.badArgument, "unknown reference \(name)")
        }
        #expect(rows.count == (ref["n_observations"] as? Int), "\(name): row count")
        return LogisticReference(name: name, columns: columns, terms: Array(design.dropFirst()), y: y,
                                 estimates: try ordered("coefficients"), stdErrors: try ordered("std_errors"),
                                 pValues: try ordered("p_values"))
    }
}

/// Separation is decided by a criterion that does not change when a column is shifted or rescaled.
@Suite struct LogisticSeparationTests {
    static let references = ["ucla_admissions", "spector_mazzeo"]

    /// Shifting every column by `shift` and multiplying it by `scale` gives the same model:
    /// slopes divide by the scale, the intercept absorbs the shifts. The fit must not be refused.
    @Test(arguments: references, [(10.0, 1.0), (1000.0, 1.0), (0.0, 1e3), (0.0, 1e-3), (10.0, 100.0), (-50.0, 0.01)])
    func shiftedAndRescaledReferencesStillFit(name: String, transform: (shift: Double, scale: Double)) throws {
        let ref = try LogisticReference.load(name)
        let moved = ref.columns.map { c in c.map { ($0 + transform.shift) * transform.scale } }
        let fit = try LogisticRegression.fit(x: try Matrix(columns: moved), y: ref.y, termNames: ref.terms)
        #expect(fit.converged)
        // β'_j = β_j / scale; β'_0 = β_0 − Σ β_j·shift
        var expected = [ref.estimates[0] - ref.estimates.dropFirst().reduce(0) { $0 + $1 * transform.shift }]
        expected += ref.estimates.dropFirst().map { $0 / transform.scale }
        let expectedSE = Array(ref.stdErrors.dropFirst()).map { $0 / transform.scale }
        for j in 1..<expected.count {
            #expect(relErr(fit.coefficients[j], expected[j]) < 1e-8, "\(name) \(transform) \(ref.terms[j - 1])")
            #expect(relErr(fit.terms[j].stdError, expectedSE[j - 1]) < 1e-8)
            #expect(relErr(fit.terms[j].pValue, ref.pValues[j]) < 1e-7)
        }
        #expect(abs(fit.coefficients[0] - expected[0]) < 1e-8 * max(1, abs(expected[0])))
    }

    /// The case: a clean fit (slope ≈ 5.6) of a predictor shifted by +10 was refused as separation.
    @Test func steepSlopeOfShiftedPredictorIsNotSeparation() throws {
        var rng = TestRandom(seed: 11)
        let x = (0..<300).map { _ in rng.uniform() * 2 - 1 }
        let y = x.map { rng.uniform() < 1 / (1 + exp(-5.6 * $0)) ? 1.0 : 0.0 }
        let base = try LogisticRegression.fit(x: try Matrix(columns: [x]), y: y)
        let shifted = try LogisticRegression.fit(x: try Matrix(columns: [x.map { $0 + 10 }]), y: y)
        #expect(relErr(shifted.coefficients[1], base.coefficients[1]) < 1e-9)
        #expect(relErr(shifted.terms[1].stdError, base.terms[1].stdError) < 1e-8)
        #expect(abs(shifted.coefficients[0] - (base.coefficients[0] - 10 * base.coefficients[1])) < 1e-8)
    }

    /// 5,000 rows with a strong slope (|η| up to ~35, many fitted probabilities within 1e-15 of 0
    /// or 1): a valid MLE, checked by its score being zero and its slope near the planted 12.
    @Test func strongSlopeOnManyRowsIsFitted() throws {
        var rng = TestRandom(seed: 5)
        let n = 5000
        let x = (0..<n).map { _ in rng.normal() }
        let y = x.map { rng.uniform() < 1 / (1 + exp(-(0.3 + 12 * $0))) ? 1.0 : 0.0 }
        let fit = try LogisticRegression.fit(x: try Matrix(columns: [x]), y: y)
        #expect(fit.converged)
        #expect(abs(fit.coefficients[1] - 12) < 4 * fit.terms[1].stdError)
        var s0 = 0.0, s1 = 0.0
        for i in 0..<n {
            let r = y[i] - 1 / (1 + exp(-(fit.coefficients[0] + fit.coefficients[1] * x[i])))
            s0 += r; s1 += r * x[i]
        }
        #expect(abs(s0) < 1e-8 && abs(s1) < 1e-8)
    }

    /// The UCLA FAQ's complete separation (X1 − 4 separates), also shifted and rescaled: refused, naming X1.
    @Test(arguments: [(0.0, 1.0), (10.0, 1.0), (0.0, 1e3), (-7.0, 1e-3)])
    func completeSeparationIsRefusedAfterShiftAndScale(transform: (shift: Double, scale: Double)) throws {
        let text = try String(contentsOf: Refdata.url("logistic/separation_complete.csv"), encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        #expect(rows.count == 8)
        let y = rows.map { $0[0] }
        let cols = [rows.map { $0[1] }, rows.map { $0[2] }].map { c in c.map { ($0 + transform.shift) * transform.scale } }
        #expect {
            try LogisticRegression.fit(x: try Matrix(columns: cols), y: y, termNames: ["X1", "X2"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            return e.code == .separation && e.terms == ["X1"]
        }
    }

    /// Quasi-complete separation (y = 1 whenever d = 1), shifted and rescaled: refused, naming d.
    @Test(arguments: [(0.0, 1.0), (10.0, 1.0), (0.0, 1e3), (100.0, 1e-2)])
    func quasiSeparationIsRefusedAfterShiftAndScale(transform: (shift: Double, scale: Double)) throws {
        let d: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
        let z: [Double] = [1, 2, 3, 4, 5, 6, 2, 4, 1, 3]
        let y: [Double] = [0, 1, 0, 1, 1, 0, 1, 1, 1, 1]
        let cols = [d, z].map { c in c.map { ($0 + transform.shift) * transform.scale } }
        #expect {
            try LogisticRegression.fit(x: try Matrix(columns: cols), y: y, termNames: ["d", "z"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            return e.code == .separation && e.terms == ["d"]
        }
    }
}

/// Test data from the library's seeded generator: uniform on [0, 1) and standard normal.
struct TestRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
    /// Box–Muller.
    mutating func normal() -> Double {
        let u = max(uniform(), 0x1p-60), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
