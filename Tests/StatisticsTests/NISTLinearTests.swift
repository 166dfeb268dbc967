import Foundation
import Testing
@testable import Statistics

/// NIST StRD linear regression: every certified estimate, standard deviation, residual SD and R².
/// Digits are reported per dataset as the minimum log relative error (LRE).
@Suite struct NISTLinearTests {
    /// Honest per-dataset floors (minimum LRE over all certified values). Filip is a degree-10
    /// polynomial whose design has condition number ~1e15 even after centring and equilibration;
    /// in float64 any backward-stable solver gets only about κ·ε-limited digits there.
    static let floors: [String: Double] = [
        "Norris": 12, "Pontius": 11, "NoInt1": 13, "NoInt2": 13, "Longley": 11,
        "Wampler1": 14, "Wampler2": 12, "Wampler3": 12, "Wampler4": 12, "Wampler5": 12, "Filip": 7,
    ]

    @Test(arguments: ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
                      "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"])
    func certifiedValues(name: String) throws {
        let obj = try #require(try Refdata.json("nist/\(name).json") as? [String: Any])
        let ys = try #require(obj["y"] as? [Any]).map { Refdata.double($0) }
        let xs = try #require(obj["x"] as? [[Any]]).map { $0.map { Refdata.double($0) } }
        let intercept = try #require(obj["intercept"] as? Bool)
        let degree = obj["polynomial_degree"] as? Int
        let cert = try #require(obj["certified"] as? [String: Any])
        let estimates = try #require(cert["estimates"] as? [Any]).map { Refdata.double($0) }
        let ses = try #require(cert["std_errors"] as? [Any]).map { Refdata.double($0) }
        let rows: [[Double]] = xs.map { r in
            if let d = degree { return (1...d).map { pow(r[0], Double($0)) } }
            return r
        }
        let x = try Matrix(rowMajor: rows)
        var options = LinearRegressionOptions()
        options.intercept = intercept
        let fit = try LinearRegression.fit(x: x, y: ys, options: options)
        var lres: [Double] = []
        for j in estimates.indices {
            lres.append(lre(fit.coefficients[j], estimates[j]))
            // zero certified SDs (exact fits): compare absolutely, scaled by the estimate
            lres.append(ses[j] == 0 ? min(15, -log10(max(fit.terms[j].stdError, 1e-300))) : lre(fit.terms[j].stdError, ses[j]))
        }
        let rsd = Refdata.double(cert["residual_sd"])
        lres.append(rsd == 0 ? min(15, -log10(max(fit.sigma, 1e-300))) : lre(fit.sigma, rsd))
        lres.append(lre(fit.rSquared, Refdata.double(cert["r_squared"])))
        let minLRE = lres.min() ?? 0
        print("NIST \(name): minimum LRE \(String(format: "%.1f", minLRE)) digits (estimates \(String(format: "%.1f", estimates.indices.map { lre(fit.coefficients[$0], estimates[$0]) }.min() ?? 0)))")
        let floor = try #require(Self.floors[name])
        #expect(minLRE >= floor, "\(name): \(minLRE) digits < floor \(floor)")
    }

    @Test func rankDeficientDesignNamesAliasedTerms() throws {
        let x = try Matrix(columns: [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10], [1, 0, 1, 0, 2]])
        #expect {
            try LinearRegression.fit(x: x, y: [1, 2, 3, 5, 4], termNames: ["a", "b", "c"])
        } throws: { error in
            guard let e = error as? NumericsError else { return false }
            return e.code == .rankDeficient && e.terms.count == 1 && ["a", "b"].contains(e.terms[0])
        }
    }
}
