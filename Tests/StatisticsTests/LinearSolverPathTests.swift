import Foundation
import Testing
@testable import Statistics

/// The scaled-Gram Cholesky path (well-conditioned designs) and the pivoted QR agree.
@Suite struct LinearSolverPathTests {
    @Test(arguments: [CovarianceKind.classical, .hc1, .hc3])
    func choleskyPathEqualsPivotedQR(kind: CovarianceKind) throws {
        var rng = TestRandom(seed: 17)
        let n = 20_000, p = 6
        var x = Matrix(rows: n, columns: p)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var eta = 3.0
            for j in 0..<p {
                x[i, j] = rng.normal() * Double(j + 1) + 10 * Double(j)
                eta += Double(j % 3 - 1) * 0.7 * x[i, j]
            }
            y[i] = eta + rng.normal() * 2
        }
        var qr = LinearRegressionOptions()
        qr.covariance = kind
        qr.forceQR = true
        var automatic = qr
        automatic.forceQR = false
        let a = try LinearRegression.fit(x: x, y: y, options: automatic)
        let b = try LinearRegression.fit(x: x, y: y, options: qr)
        #expect(a.conditionNumber < 100)
        for j in 0...p {
            #expect(relErr(a.coefficients[j], b.coefficients[j]) < 1e-13)
            #expect(relErr(a.terms[j].stdError, b.terms[j].stdError) < 1e-12)
        }
        #expect(relErr(a.residualSumOfSquares, b.residualSumOfSquares) < 1e-13)
    }
}
