/// Derivative-free minimisation by the Nelder–Mead simplex (standard coefficients: reflection 1,
/// expansion 2, contraction ½, shrink ½). Bounds are the objective's job: return `.infinity`
/// outside the admissible region and the simplex moves away from it.
enum NelderMead {
    /// Minimises `f` from `start` with initial simplex edges `steps`; stops when the spread of the
    /// simplex values falls below `tolerance` (relative) or after `maxEvaluations` calls.
    static func minimize(_ f: ([Double]) -> Double, start: [Double], steps: [Double],
                         tolerance: Double = 1e-10, maxEvaluations: Int = 20_000) -> (point: [Double], value: Double) {
        let n = start.count
        var simplex = [start]
        for i in 0..<n {
            var x = start
            x[i] += steps[i]
            simplex.append(x)
        }
        var values = simplex.map(f)
        var evaluations = n + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let best = values[0], worst = values[n]
            if worst.isFinite, abs(worst - best) <= tolerance * (abs(best) + tolerance) { break }
            var centroid = [Double](repeating: 0, count: n)
            for x in simplex.dropLast() { for i in 0..<n { centroid[i] += x[i] / Double(n) } }
            func toward(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = toward(-1), fr = f(reflected)
            evaluations += 1
            if fr < values[0] {
                let expanded = toward(-2), fe = f(expanded)
                evaluations += 1
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected; values[n] = fr
            } else {
                let contracted = fr < values[n] ? toward(-0.5) : toward(0.5)
                let fc = f(contracted)
                evaluations += 1
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted; values[n] = fc
                } else {
                    for k in 1...n {
                        simplex[k] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[k][$0] - simplex[0][$0]) }
                        values[k] = f(simplex[k])
                    }
                    evaluations += n
                }
            }
        }
        let i = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[i], values[i])
    }
}
