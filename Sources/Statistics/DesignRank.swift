/// Which columns of a design are linearly dependent on the others (aliased).
///
/// Used where a fit fails for a reason that may really be collinearity (a singular information
/// matrix in a logistic fit looks like separation otherwise), so the error can name the aliased
/// terms. The columns are centred on their weighted means when the model has an intercept (so a
/// column constant on the used rows is aliased with the intercept), scaled to unit norm, and
/// factored by pivoted QR; columns whose `|Rᵢᵢ|` falls below `tolerance·|R₁₁|` are aliased.
enum DesignRank {
    /// Aliased term names in column order (empty when the design has full column rank).
    static func aliasedTerms(x: Matrix, names: [String], intercept: Bool, weights: [Double]?,
                             tolerance: Double = 1e-10) throws -> [String] {
        let n = x.rows, p = x.columns
        guard p > 0, n >= p else { return [] }
        let w = weights ?? [Double](repeating: 1, count: n)
        let sumW = w.reduce(0, +)
        var scaled = Matrix(rows: n, columns: p)
        var constant: [Int] = []
        for j in 0..<p {
            let base = j * n
            var mean = 0.0
            if intercept && sumW > 0 {
                for i in 0..<n { mean += w[i] * x.storage[base + i] }
                mean /= sumW
            }
            var ss = 0.0
            for i in 0..<n {
                let v = w[i].squareRoot() * (x.storage[base + i] - mean)
                scaled.storage[base + i] = v
                ss += v * v
            }
            if ss == 0 { constant.append(j); continue }
            let c = ss.squareRoot()
            for i in 0..<n { scaled.storage[base + i] /= c }
        }
        let qr = try PivotedQR(overwriting: &scaled, tolerance: tolerance)
        let aliased = Set(qr.pivots[qr.rank...]).union(constant)
        return aliased.sorted().map { names[$0] }
    }
}
