/// Benjamini–Hochberg false discovery rate control over one family of p-values.
///
/// The BH q-value of the i-th smallest of m p-values is `min_{j ≥ i} min(1, p₍ⱼ₎·m/j)`
/// (Benjamini & Hochberg 1995; the "adjusted p-value" of R's `p.adjust(method = "BH")`).
/// Rejecting every hypothesis with q ≤ α keeps the expected share of false rejections at or
/// below α·m₀/m for independent or positively dependent tests.
public enum BenjaminiHochberg {
    /// q-values in the order of `pValues`. A NaN p-value is treated as 1 (no evidence) and still
    /// counts in m, so a test that could not be computed never makes the others look better.
    public static func qValues(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 0 else { return [] }
        let p = pValues.map { $0.isNaN ? 1 : min(1, max(0, $0)) }
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var q = [Double](repeating: 1, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, p[i] * Double(m) / Double(rank))
            q[i] = running
        }
        return q
    }

    /// Indices rejected at level `alpha` (those with q ≤ alpha).
    public static func rejected(_ pValues: [Double], alpha: Double) -> [Int] {
        qValues(pValues).enumerated().filter { $0.element <= alpha }.map(\.offset)
    }
}
