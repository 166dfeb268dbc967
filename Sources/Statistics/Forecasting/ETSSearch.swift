import Foundation

/// The maximum-likelihood search for one ETS model, one Nelder–Mead run at a time (each
/// restarted from the previous optimum until a run stops paying).
struct ETSSearch {
    /// Most Nelder–Mead runs per model (each from the previous optimum).
    static let maxRuns = 6
    /// Evaluations per run.
    static let maxEvaluations = 3000
    /// Nelder–Mead's relative spread of the simplex values at which a run stops (R's `optim` default).
    static let tolerance = 1e-8
    /// A restart that improves −2 log-likelihood by less than this (relative) ends the search.
    static let restartGain = 1e-6

    let problem: ETSProblem
    private let objective: ETSObjective
    private(set) var point: [Double]
    private(set) var value: Double
    private(set) var runs = 0
    private var converged = false

    init(y: [Double], spec: ETSSpec, period: Int, fixed: ETSFixedValues) throws {
        problem = try ETSProblem(y: y, spec: spec, period: period, fixed: fixed)
        objective = ETSObjective(problem: problem)
        point = problem.start
        value = problem.layout.isEmpty ? 0 : objective(problem.start)
        converged = problem.layout.isEmpty
        guard value.isFinite else {
            throw NumericsError(.invalidData, "\(spec) cannot start from the data's first seasons (a non-positive mean); try an additive model")
        }
    }

    /// Runs Nelder–Mead once more from the current optimum; returns whether another run may
    /// still pay (false once a run gains less than ``restartGain`` or after ``maxRuns``).
    mutating func restart() -> Bool {
        guard !converged else { return false }
        let run = NelderMead.minimize(objective.callAsFunction, start: point, steps: problem.steps(around: point),
                                      tolerance: Self.tolerance, maxEvaluations: Self.maxEvaluations)
        let gain = value - run.value
        if run.value < value { (point, value) = run }
        runs += 1
        converged = runs >= Self.maxRuns || gain <= Self.restartGain * max(1, abs(value))
        return !converged
    }

    /// The fit at the current optimum (the recursions run once more to keep fitted values).
    func result() throws -> ETSFit {
        let spec = problem.spec
        let (p, state) = problem.unpack(point)
        guard let filter = ETSRecursion.run(spec, p, initial: state, y: problem.y) else {
            if problem.layout.isEmpty {
                throw NumericsError(.invalidData, "\(spec) with these values gives a non-positive or non-finite one-step mean; a multiplicative model needs positive data and states")
            }
            throw NumericsError(.notConverged, "\(spec): the optimiser ended outside the admissible region")
        }
        return ETSFit(spec: spec, period: problem.period, parameters: p, initialState: state, filter: filter,
                      estimatedCount: problem.layout.count)
    }
}
