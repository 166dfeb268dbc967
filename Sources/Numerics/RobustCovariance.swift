import CLAPACK

/// Heteroskedasticity-robust (HC0–HC3) and cluster-robust sandwich covariances `B·M·B`.
///
/// `design` is the whitened design `W^{½}X̃` (n × k), `residuals` the whitened residuals
/// `W^{½}e`, and `bread` `(X̃ᵀWX̃)⁻¹`. For GLMs pass the working design and score residuals.
public enum RobustCovariance {
    public static func sandwich(design d: Matrix, residuals e: [Double], bread: Matrix, kind: CovarianceKind,
                                nobs: Int, parameters k: Int) throws -> Matrix {
        let n = d.rows
        var meat: Matrix
        switch kind {
        case .classical:
            return bread
        case .hc0, .hc1, .hc2, .hc3:
            var omega = e.map { $0 * $0 }
            if kind == .hc1 {
                let f = Double(nobs) / Double(nobs - k)
                for i in 0..<n { omega[i] *= f }
            } else if kind == .hc2 || kind == .hc3 {
                // leverage h_i = x̃ᵢᵀ B x̃ᵢ
                let db = try d.multiplied(by: bread)
                for i in 0..<n {
                    var h = 0.0
                    for j in 0..<k { h += db.storage[j * n + i] * d.storage[j * n + i] }
                    let oneMinus = 1 - h
                    guard oneMinus > 1e-10 else {
                        throw NumericsError(.invalidData,
                                            "observation \(i + 1) of the rows used has leverage 1 (the model fits it exactly whatever its value), so \(kind.label) is undefined; use HC0 or HC1, or drop that observation")
                    }
                    omega[i] /= kind == .hc2 ? oneMinus : oneMinus * oneMinus
                }
            }
            var scaled = d
            for j in 0..<k { for i in 0..<n { scaled.storage[j * n + i] *= omega[i].squareRoot() } }
            meat = scaled.gram()
        case .cluster(let groups):
            guard groups.count == n else {
                throw NumericsError(.badArgument, "\(groups.count) cluster ids for \(n) observations")
            }
            var index: [Int: Int] = [:]
            for g in groups where index[g] == nil { index[g] = index.count }
            let gCount = index.count
            guard gCount >= 2 else { throw NumericsError(.invalidData, "cluster-robust errors need at least 2 clusters") }
            var scores = Matrix(rows: gCount, columns: k)
            for i in 0..<n {
                guard let gi = index[groups[i]] else { continue }
                for j in 0..<k { scores.storage[j * gCount + gi] += d.storage[j * n + i] * e[i] }
            }
            meat = scores.gram()
            let g = Double(gCount)
            let f = g / (g - 1) * Double(nobs - 1) / Double(nobs - k)
            meat = f * meat
        }
        return try (try bread.multiplied(by: meat)).multiplied(by: bread)
    }
}
