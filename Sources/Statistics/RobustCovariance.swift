import CLAPACK

/// Heteroskedasticity-robust (HC0–HC3) and cluster-robust sandwich covariances `B·M·B`.
///
/// `design` is the whitened design `W^{½}X̃` (n × k), described by ``DesignRows`` and formed a
/// block of rows at a time (never an n × k copy), `residuals` the whitened residuals `W^{½}e`,
/// and `bread` `(X̃ᵀWX̃)⁻¹`. For GLMs pass the working design and score residuals.
enum RobustCovariance {
    static func sandwich(design d: DesignRows, residuals e: [Double], bread: Matrix, kind: CovarianceKind,
                         nobs: Int, parameters k: Int) throws -> Matrix {
        if kind == .classical { return bread }
        let omega = try observationWeights(design: d, residuals: e, bread: bread, kind: kind, nobs: nobs, parameters: k)
        let m = try meat(design: d, residuals: e, omega: omega, kind: kind, nobs: nobs, parameters: k)
        return try (try bread.multiplied(by: m)).multiplied(by: bread)
    }

    /// The HC weights `ωᵢ` of `M = Σ ωᵢ·dᵢdᵢᵀ`: `eᵢ²` (HC0), `eᵢ²·n/(n−k)` (HC1), `eᵢ²/(1−hᵢ)` (HC2),
    /// `eᵢ²/(1−hᵢ)²` (HC3), with leverages `hᵢ = dᵢᵀBdᵢ` of the full design. Nil for other kinds.
    static func observationWeights(design d: DesignRows, residuals e: [Double], bread: Matrix, kind: CovarianceKind,
                                   nobs: Int, parameters k: Int) throws -> [Double]? {
        let n = d.rows
        switch kind {
        case .hc0, .hc1, .hc2, .hc3:
            var omega = e.map { $0 * $0 }
            if kind == .hc1 {
                let f = Double(nobs) / Double(nobs - k)
                for i in 0..<n { omega[i] *= f }
            } else if kind == .hc2 || kind == .hc3 {
                // leverage hᵢ = dᵢᵀBdᵢ: per block T = D_b·B (dgemm), hᵢ = Σⱼ T[i,j]·D_b[i,j]
                let c = d.columns
                var product = [Double](repeating: 0, count: DesignRows.blockRows * c)
                try d.forEachBlock { block, start, count in
                    bread.storage.withUnsafeBufferPointer { bp in
                        product.withUnsafeMutableBufferPointer { tp in
                            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(count), Int32(c), Int32(c), 1.0,
                                        block.baseAddress, Int32(count), bp.baseAddress, Int32(c), 0.0, tp.baseAddress, Int32(count))
                        }
                    }
                    for r in 0..<count {
                        var h = 0.0
                        for j in 0..<c { h += product[j * count + r] * block[j * count + r] }
                        let oneMinus = 1 - h
                        guard oneMinus > 1e-10 else {
                            throw NumericsError(.invalidData,
                                                "observation \(start + r + 1) of the rows used has leverage 1 (the model fits it exactly whatever its value), so \(kind.label) is undefined; use HC0 or HC1, or drop that observation")
                        }
                        omega[start + r] /= kind == .hc2 ? oneMinus : oneMinus * oneMinus
                    }
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
    static func meat(design d: DesignRows, residuals e: [Double], omega: [Double]?, kind: CovarianceKind,
                     nobs: Int, parameters k: Int) throws -> Matrix {
        let n = d.rows, c = d.columns
        switch kind {
        case .classical:
            throw NumericsError(.badArgument, "the classical covariance has no meat")
        case .hc0, .hc1, .hc2, .hc3:
            guard let omega, omega.count == n else { throw NumericsError(.badArgument, "HC weights missing") }
            return d.weightedGram(omega)
        case .cluster(let groups):
            guard groups.count == n else {
                throw NumericsError(.badArgument, "\(groups.count) cluster ids for \(n) observations")
            }
            var index: [Int: Int] = [:]
            var slot = [Int](repeating: 0, count: n)
            for (i, g) in groups.enumerated() {
                if let known = index[g] { slot[i] = known } else { slot[i] = index.count; index[g] = index.count }
            }
            let gCount = index.count
            guard gCount >= 2 else { throw NumericsError(.invalidData, "cluster-robust errors need at least 2 clusters") }
            var scores = Matrix(rows: gCount, columns: c)
            d.forEachBlock { block, start, count in
                for j in 0..<c {
                    let column = j * gCount
                    for r in 0..<count { scores.storage[column + slot[start + r]] += block[j * count + r] * e[start + r] }
                }
            }
            let g = Double(gCount)
            let f = g / (g - 1) * Double(nobs - 1) / Double(nobs - k)
            return f * scores.gram()
        }
    }
}
