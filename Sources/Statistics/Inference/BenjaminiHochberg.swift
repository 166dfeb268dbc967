/// Benjamini–Hochberg control of the false discovery rate.
///
/// The adjusted p-value (q-value) of the i-th smallest of m p-values is
/// min over j ≥ i of min(1, p₍ⱼ₎·m/j), as R's `p.adjust(p, "BH")`; rejecting every hypothesis with
/// q ≤ α controls the expected share of false discoveries at α for independent or positively
/// dependent tests. One sort: O(m log m).
public enum BenjaminiHochberg {
    /// q-values in the order of `pValues`. NaN p-values are refused (an untested hypothesis
    /// must not be counted in m).
    public static func adjust(_ pValues: [Double]) throws -> [Double] {
        for (i, p) in pValues.enumerated() where !(p >= 0 && p <= 1) {
            throw NumericsError(.badArgument, "p-value \(i + 1) must be in [0, 1]; got \(p)")
        }
        let m = pValues.count
        guard m > 0 else { return [] }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var q = Array(repeating: 1.0, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let index = order[rank - 1]
            running = min(running, pValues[index] * Double(m) / Double(rank))
            q[index] = min(1, running)
        }
        return q
    }

    /// q-values for hypotheses some of which were not tested (nil: no p-value, e.g. a fit that
    /// could not be made): the tested ones form the family, the others stay nil and are not
    /// counted in m.
    public static func adjust(allowingUntested pValues: [Double?]) throws -> [Double?] {
        let tested = pValues.indices.filter { pValues[$0] != nil }
        let q = try adjust(tested.map { pValues[$0]! })
        var out = [Double?](repeating: nil, count: pValues.count)
        for (k, i) in tested.enumerated() { out[i] = q[k] }
        return out
    }
}
