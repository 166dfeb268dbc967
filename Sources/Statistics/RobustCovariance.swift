import CLAPACK

/// Heteroskedasticity-robust (HC0–HC3) and cluster-robust sandwich covariances `B·M·B`.
///
/// `design` is the whitened design `W^{½}X̃` (n × k), `residuals` the whitened residuals
/// `W^{½}e`, and `bread` `(X̃ᵀWX̃)⁻¹`. For GLMs pass the working design and score residuals.
public enum RobustCovariance {
    public static func sandwich(design d: Matrix, residuals e: [Double], bread: Matrix, kind: CovarianceKind,
                                nobs: Int, parameters k: Int) throws -> Matrix {
        if kind == .classical { return bread }
        let omega = try observationWeights(design: d, residuals: e, bread: bread, kind: kind, nobs: nobs, parameters: k)
        let m = try meat(design: d, residuals: e, omega: omega, kind: kind, nobs: nobs, parameters: k)
        return try (try bread.multiplied(by: m)).multiplied(by: bread)
    }

    /// The HC weights `ωᵢ` of `M = Σ ωᵢ·dᵢdᵢᵀ`: `eᵢ²` (HC0), `eᵢ²·n/(n−k)` (HC1), `eᵢ²/(1−hᵢ)` (HC2),
    /// `eᵢ²/(1−hᵢ)²` (HC3), with leverages `hᵢ = dᵢᵀBdᵢ` of the full design. Nil for other kinds.
    static func observationWeights(design d: Matrix, residuals e: [Double], bread: Matrix, kind: CovarianceKind,
                                   nobs: Int, parameters k: Int) throws -> [Double]? {
        let n = d.rows
        switch kind {
        case .hc0, .hc1, .hc2, .hc3:
            var omega = e.map { $0 * $0 }
            if kind == .hc1 {
                let f = Double(nobs) / Double(nobs - k)
                for i in 0..<n { omega[i] *= f }
            } else if kind == .hc2 || kind == .hc3 {
                // leverage h_i = x̃ᵢᵀ B x̃ᵢ, from B·x̃ᵢ formed per row (no n × k product of the design)
                let c = d.columns
                var bx = [Double](repeating: 0, count: c)
                for i in 0..<n {
                    for a in 0..<c {
                        var v = 0.0
                        for b in 0..<c { v += bread.storage[a + b * c] * d.storage[b * n + i] }
                        bx[a] = v
                    }
                    var h = 0.0
                    for j in 0..<c { h += bx[j] * d.storage[j * n + i] }
                    let oneMinus = 1 - h
                    guard oneMinus > 1e-10 else {
                        throw NumericsError(.invalidData,
                                            "observation \(i + 1) of the rows used has leverage 1 (the model fits it exactly whatever its value), so \(kind.label) is undefined; use HC0 or HC1, or drop that observation")
                    }
                    omega[i] /= kind == .hc2 ? oneMinus : oneMinus * oneMinus
                }
            }
            return omega
        default:
            return nil
        }
    }

    /// The meat `M` for `design` (any set of columns: the full design, or the centred slopes for a
    /// Wald test): `Σ ωᵢ·dᵢdᵢᵀ` for HC kinds, and for clusters `f·Σ_g s_g s_gᵀ` with cluster scores
    /// `s_g = Σ_{i∈g} dᵢeᵢ` and CR1's `f = G/(G−1)·(n−1)/(n−k)` (`k`: parameters of the model).
    static func meat(design d: Matrix, residuals e: [Double], omega: [Double]?, kind: CovarianceKind,
                     nobs: Int, parameters k: Int) throws -> Matrix {
        let n = d.rows, c = d.columns
        switch kind {
        case .classical:
            throw NumericsError(.badArgument, "the classical covariance has no meat")
        case .hc0, .hc1, .hc2, .hc3:
            guard let omega, omega.count == n else { throw NumericsError(.badArgument, "HC weights missing") }
            // Σ ωᵢ·dᵢdᵢᵀ by dsyrk on √ω-scaled blocks of rows (no n × k copy of the design)
            let blockRows = 4096
            var upper = [Double](repeating: 0, count: c * c)
            var buffer = [Double](repeating: 0, count: blockRows * c)
            var start = 0
            while start < n {
                let rows = min(blockRows, n - start)
                for j in 0..<c { for r in 0..<rows { buffer[j * rows + r] = d.storage[j * n + start + r] * omega[start + r].squareRoot() } }
                buffer.withUnsafeBufferPointer { bp in
                    upper.withUnsafeMutableBufferPointer { up in
                        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(c), Int32(rows), 1.0, bp.baseAddress,
                                    Int32(rows), 1.0, up.baseAddress, Int32(c))
                    }
                }
                start += rows
            }
            var m = try Matrix(rows: c, columns: c, columnMajor: upper)
            m.symmetrizeFromUpper()
            return m
        case .cluster(let groups):
            guard groups.count == n else {
                throw NumericsError(.badArgument, "\(groups.count) cluster ids for \(n) observations")
            }
            var index: [Int: Int] = [:]
            for g in groups where index[g] == nil { index[g] = index.count }
            let gCount = index.count
            guard gCount >= 2 else { throw NumericsError(.invalidData, "cluster-robust errors need at least 2 clusters") }
            var scores = Matrix(rows: gCount, columns: c)
            for i in 0..<n {
                guard let gi = index[groups[i]] else { continue }
                for j in 0..<c { scores.storage[j * gCount + gi] += d.storage[j * n + i] * e[i] }
            }
            let g = Double(gCount)
            let f = g / (g - 1) * Double(nobs - 1) / Double(nobs - k)
            return f * scores.gram()
        }
    }
}
