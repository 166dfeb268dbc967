import Foundation
import Testing
@testable import Statistics
import Primitives

@Suite struct ClassificationMetricsTests {
    @Test func aucCountsTiesAsHalf() throws {
        // positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4: 1+0+1+1+1+½ = 4.5 of 6 pairs
        let auc = try ClassificationMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8, 0.4], labels: [0, 0, 1, 1, 1])
        #expect(abs(auc - 0.75) < 1e-15)
        #expect(try ClassificationMetrics.rocAUC(scores: [3, 3, 3, 3], labels: [0, 1, 0, 1]) == 0.5)
        #expect(try ClassificationMetrics.rocAUC(scores: [1, 2, 3], labels: [0, 1, 1]) == 1)
        #expect(try ClassificationMetrics.rocAUC(scores: [1, 2, 3], labels: [1, 0, 0]) == 0)
        #expect(throws: NumericsError.self) { try ClassificationMetrics.rocAUC(scores: [1, 2], labels: [1, 1]) }
    }

    @Test func aucMatchesPairCountingOnRandomData() throws {
        var rng = SplitMix64(seed: 7)
        let n = 300
        let scores = (0..<n).map { _ in Double(Int.random(in: 0..<20, using: &rng)) }  // many ties
        let labels = (0..<n).map { _ in Double(Int.random(in: 0..<2, using: &rng)) }
        var credit = 0.0, pairs = 0.0
        for i in 0..<n where labels[i] == 1 {
            for j in 0..<n where labels[j] == 0 {
                pairs += 1
                credit += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0
            }
        }
        #expect(abs(try ClassificationMetrics.rocAUC(scores: scores, labels: labels) - credit / pairs) < 1e-14)
    }

    @Test func logLossClipsAtEpsilon() throws {
        let v = try ClassificationMetrics.logLoss(probabilities: [0.9, 0.2, 0], labels: [1, 0, 1])
        #expect(abs(v - (-(log(0.9) + log(0.8) + log(1e-15)) / 3)) < 1e-14)
        let custom = try ClassificationMetrics.logLoss(probabilities: [1], labels: [0], epsilon: 1e-6)
        #expect(abs(custom - -log(1e-6)) < 1e-9)
    }

    @Test func brier() throws {
        let v = try ClassificationMetrics.brierScore(probabilities: [0.9, 0.2, 0.6], labels: [1, 0, 0])
        #expect(abs(v - 0.41 / 3) < 1e-15)
    }

    @Test func calibrationBins() throws {
        let t = try ClassificationMetrics.calibrationTable(probabilities: [0.1, 0.4, 0.5, 1.0], labels: [0, 1, 1, 1], bins: 2)
        #expect(t.count == 2)
        #expect(t[0] == CalibrationBin(lower: 0, upper: 0.5, count: 2, meanPredicted: 0.25, observedRate: 0.5))
        #expect(t[1] == CalibrationBin(lower: 0.5, upper: 1, count: 2, meanPredicted: 0.75, observedRate: 1))
        let empty = try ClassificationMetrics.calibrationTable(probabilities: [0.05], labels: [0], bins: 4)
        #expect(empty[0].count == 1 && empty[3].count == 0 && empty[3].observedRate.isNaN)
        #expect(throws: NumericsError.self) { try ClassificationMetrics.calibrationTable(probabilities: [1.2], labels: [1]) }
    }

    @Test func confusionAtThreshold() throws {
        let c = try ClassificationMetrics.confusion(probabilities: [0.9, 0.6, 0.4, 0.2, 0.5], labels: [1, 0, 1, 0, 1])
        #expect(c == ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
        #expect(c.accuracy == 0.6)
        #expect(abs(c.precision - 2.0 / 3) < 1e-15 && abs(c.recall - 2.0 / 3) < 1e-15)
        #expect(c.specificity == 0.5)
        let strict = try ClassificationMetrics.confusion(probabilities: [0.9, 0.6, 0.4, 0.2, 0.5], labels: [1, 0, 1, 0, 1], threshold: 0.95)
        #expect(strict.truePositives == 0 && strict.precision.isNaN && strict.recall == 0)
        #expect(throws: NumericsError.self) { try ClassificationMetrics.confusion(probabilities: [0.5], labels: [2]) }
        #expect(throws: NumericsError.self) { try ClassificationMetrics.confusion(probabilities: [0.5, 0.1], labels: [1]) }
    }
}

@Suite struct RegressionMetricsTests {
    @Test func handComputed() throws {
        let y = [1.0, 2, 3, 4], f = [1.5, 2, 2, 5]
        #expect(abs(try RegressionMetrics.rmse(observed: y, predicted: f) - 0.75) < 1e-15)
        #expect(abs(try RegressionMetrics.mae(observed: y, predicted: f) - 0.625) < 1e-15)
        #expect(abs(try RegressionMetrics.rSquared(observed: y, predicted: f) - 0.55) < 1e-15)
        #expect(try RegressionMetrics.rSquared(observed: [2, 2], predicted: [1, 3]).isNaN)
        #expect(throws: NumericsError.self) { try RegressionMetrics.rmse(observed: [], predicted: []) }
    }
}

@Suite struct SplitTests {
    @Test func splitMixReferenceOutput() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func trainTestIsReproducibleDisjointAndCovering() throws {
        let a = try Splits.trainTest(count: 103, testFraction: 0.25, seed: 42)
        let b = try Splits.trainTest(count: 103, testFraction: 0.25, seed: 42)
        let c = try Splits.trainTest(count: 103, testFraction: 0.25, seed: 43)
        #expect(a.train == b.train && a.test == b.test)
        #expect(a.test != c.test)
        #expect(a.test.count == 26 && a.train.count == 77)
        #expect(Set(a.train).isDisjoint(with: a.test))
        #expect((a.train + a.test).sorted() == Array(0..<103))
        #expect(throws: NumericsError.self) { try Splits.trainTest(count: 10, testFraction: 1, seed: 1) }
    }

    @Test func kFoldPartitionsEveryRowOnce() throws {
        let folds = try Splits.kFold(count: 23, folds: 5, seed: 9)
        #expect(folds.map { $0.test.count } == [5, 5, 5, 4, 4])
        #expect(folds.flatMap { $0.test }.sorted() == Array(0..<23))
        for f in folds {
            #expect(Set(f.train).isDisjoint(with: f.test))
            #expect((f.train + f.test).sorted() == Array(0..<23))
        }
        let again = try Splits.kFold(count: 23, folds: 5, seed: 9)
        #expect(zip(folds, again).allSatisfy { $0.test == $1.test })
        #expect(throws: NumericsError.self) { try Splits.kFold(count: 3, folds: 4, seed: 1) }
    }
}
