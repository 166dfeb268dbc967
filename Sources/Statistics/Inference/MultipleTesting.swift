import Foundation

/// Control of the false discovery rate over many simultaneous tests.
public enum MultipleTesting {
    /// Benjamini–Hochberg (1995) adjusted p-values (R's `p.adjust(p, "BH")`): sort ascending,
    /// `q_(i) = min_{j ≥ i} min(1, m·p_(j)/j)`, returned in the input order. Rejecting every
    /// test with `q ≤ α` controls the FDR at α for independent or positively dependent tests.
    /// NaN p-values are passed through and not counted in m.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted { pValues[$0] < pValues[$1] }
        let m = Double(order.count)
        var adjusted = pValues
        var running = 1.0
        for rank in stride(from: order.count, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, min(1, m * pValues[i] / Double(rank)))
            adjusted[i] = running
        }
        return adjusted
    }
}
