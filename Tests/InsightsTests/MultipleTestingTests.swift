import Foundation
import Primitives
import Statistics
import Testing

@Suite struct MultipleTestingTests {
    /// Hand-computed: sorted p 0.005, 0.01, 0.03, 0.04, 0.5 → p·m/rank 0.025, 0.025, 0.05, 0.05, 0.5,
    /// running minimum from the top: the same (R's p.adjust(method = "BH") gives these).
    @Test func benjaminiHochbergByHand() throws {
        let q = try BenjaminiHochberg.adjust([0.01, 0.04, 0.03, 0.005, 0.5])
        let expected = [0.025, 0.05, 0.05, 0.025, 0.5]
        for (a, b) in zip(q, expected) { #expect(abs(a - b) < 1e-15) }
        // the step-up: 0.04 at rank 4 passes at 0.05 although 0.04 > 0.05·1/5
        #expect(q.indices.filter { q[$0] <= 0.05 } == [0, 1, 2, 3])
        // monotone running minimum: a larger p never gets a smaller q
        #expect(try BenjaminiHochberg.adjust([0.02, 0.021, 0.9]) == [0.0315, 0.0315, 0.9])
    }

    @Test func betaUniformMixtureOnNullsIsUniform() {
        var rng = SeededGenerator(seed: 11)
        let p = (0..<1000).map { _ in rng.uniform() }
        let model = BetaUniformMixture.fit(p)
        #expect(model.nullShare > 0.95, "null share \(model.nullShare)")
        #expect(model.localFDR(0.01) > 0.8, "lfdr(0.01) \(model.localFDR(0.01))")
    }

    /// 80% uniform + 20% Beta(0.1, 1) (p = u^10): π₀ = 0.8 + 0.2·0.1 = 0.82, a = 0.1.
    @Test func betaUniformMixtureRecoversPlantedMixture() {
        var rng = SeededGenerator(seed: 12)
        let p = (0..<2000).map { _ -> Double in rng.bernoulli(0.2) ? Foundation.pow(rng.uniform(), 10) : rng.uniform() }
        let model = BetaUniformMixture.fit(p)
        #expect(abs(model.shape - 0.1) < 0.04, "shape \(model.shape)")
        #expect(abs(model.nullShare - 0.82) < 0.05, "null share \(model.nullShare)")
        // lfdr by hand from the fitted parameters, and monotone in p
        let x = 1e-4
        let byHand = model.nullShare / (model.lambda + (1 - model.lambda) * model.shape * Foundation.pow(x, model.shape - 1))
        #expect(abs(model.localFDR(x) - byHand) < 1e-12)
        #expect(model.localFDR(1e-6) < model.localFDR(1e-3))
        #expect(model.localFDR(1e-3) < model.localFDR(0.5))
    }
}
