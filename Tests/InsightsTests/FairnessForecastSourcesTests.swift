import Foundation
import Store
import Testing
import TestSupport
import Tracking
@testable import Analytics
@testable import Statistics

/// The fairness and forecast finding sources on simulated workloads with planted truth: a cohort
/// disparity that persists after adjusting for task mix becomes a confident fairness insight, one
/// that only the task mix makes does not; a planted falling satisfaction trend makes the forecast
/// cross the alert minimum, a flat one does not.
@Suite(.serialized) struct FairnessForecastSourcesTests {
    static func scenario(_ name: String) throws -> Scenario {
        try Scenario.load(from: PackagePaths.root.appendingPathComponent("scenarios/\(name).json"))
    }

    static func fairnessInsights(_ result: InsightEngine.Result) -> [Insight] {
        result.insights.filter { $0.source == "fairness" && ["code_acceptance", "satisfaction"].contains($0.metric) }
    }

    @Test func persistingCohortDisparityBecomesAConfidentInsight() throws {
        let h = try InsightHarness(scenario: try Self.scenario("fairness-persisting"), developers: 24, days: 40, seed: 11)
        let (result, _) = try h.run()
        let planted = PlantedEffect.of(h.truth.scenario).filter { $0.kind == "fairness_disparity" }
        // product has planted odds ratio 0.5 and a −0.4 rating shift against platform
        for metric in ["code_acceptance", "satisfaction"] {
            let insight = try #require(Self.fairnessInsights(result).first { $0.metric == metric && $0.direction != .none },
                                       "\(metric): \(result.findings.filter { $0.finding.source == "fairness" }.map { "\($0.finding.metric) \($0.finding.subject) p=\($0.finding.pValue)" })")
            #expect(insight.confidence >= 0.9, "\(metric) confidence \(insight.confidence)")
            #expect(insight.category == .fairness && insight.kind == "fairness_disparity")
            #expect(planted.contains { $0.matches(kind: insight.kind, subject: insight.subject, metric: insight.metric, direction: insight.direction.rawValue) },
                    "\(insight.subject) \(insight.direction) not planted")
            #expect(insight.effect.confLow > 0 || insight.effect.confHigh < 0)
        }
        // the adjusted log odds ratio recovers the planted log 0.5 (sign by which cohort is the reference)
        let acceptance = try #require(Self.fairnessInsights(result).first { $0.metric == "code_acceptance" })
        let sign = acceptance.subject["cohort"] == "product" ? 1.0 : -1.0
        #expect(abs(sign * acceptance.effect.estimate - Foundation.log(0.5)) < 0.3, "\(acceptance.effect.estimate)")
    }

    @Test func taskMixOnlyDifferenceYieldsNoConfidentFairnessInsight() throws {
        let h = try InsightHarness(scenario: try Self.scenario("fairness-task-mix"), developers: 24, days: 40, seed: 11)
        let (result, _) = try h.run()
        let fairness = result.findings.filter { $0.finding.source == "fairness" && $0.finding.metric == "code_acceptance" }
        // the raw difference is there (product does mostly database design) ...
        #expect(fairness.contains { ($0.finding.rawPValue ?? 1) < 1e-3 }, "\(fairness.map { $0.finding.rawPValue ?? .nan })")
        // ... but no fairness claim reaches 0.9 once the task mix is adjusted for
        let claims = Self.fairnessInsights(result).filter { $0.direction != .none && $0.confidence >= 0.9 }
        #expect(claims.isEmpty, "\(claims.map(\.title))")
    }

    /// P(above the minimum) for an 80% interval [2, 3] and minimum 3.5: centre 2.5, sd 0.5/z₀.₉,
    /// z = 1/(0.5/1.2815516) = 2.5631, upper tail 0.005187 (tables of Φ).
    @Test func forecastPValueIsTheUpperTailAtTheCrossingDay() throws {
        func step(_ h: Int, _ lo: Double, _ hi: Double) -> ETSForecast.Step {
            ETSForecast.Step(horizon: h, mean: (lo + hi) / 2, intervals: [.init(level: 0.8, lower: lo, upper: hi), .init(level: 0.95, lower: lo - 0.5, upper: hi + 0.5)])
        }
        let crossing = ETSForecast(steps: [step(1, 3.2, 4.4), step(2, 2.0, 3.0), step(3, 1.0, 2.0)], intervalMethod: "analytic")
        let tested = try #require(ForecastFindingSource.testedStep(crossing, minimum: 3.5))
        #expect(tested.index == 1)  // the first day wholly below, not the lowest
        #expect(abs(tested.pAbove - 0.005187) < 2e-5, "\(tested.pAbove)")
        // no crossing: the smallest probability, at least 0.1
        let above = ETSForecast(steps: [step(1, 3.6, 4.4), step(2, 3.4, 4.2)], intervalMethod: "analytic")
        let none = try #require(ForecastFindingSource.testedStep(above, minimum: 3.5))
        #expect(none.index == 1 && none.pAbove >= 0.1 && none.pAbove < 0.95)
    }

    @Test func plantedFallingSatisfactionCrossesTheAlertMinimum() throws {
        var falling = Scenario.default
        falling.satisfaction.trendPer30Days = -1.5
        var flat = Scenario.default
        flat.satisfaction.trendPer30Days = 0
        let context = { (h: InsightHarness) in FindingContext(connection: h.connection, since: nil, until: Date(timeIntervalSince1970: 4_102_444_800)) }

        let down = try InsightHarness(scenario: falling, developers: 16, days: 42, seed: 5)
        let crossing = try #require(try ForecastFindingSource().findings(in: context(down)).first)
        #expect(crossing.pValue < 1e-3, "p \(crossing.pValue)")
        #expect(crossing.effect.estimate < 0 && crossing.effect.confHigh < 0)
        #expect(crossing.category == .predictive && crossing.subject == ["forecast": "satisfaction"])
        // it is refreshed from user_feedback: satisfaction_metrics holds the days
        #expect(try down.connection.execute("SELECT count(*) FROM satisfaction_metrics").first?.value(0, as: Int.self) ?? 0 >= 40)

        let level = try InsightHarness(scenario: flat, developers: 16, days: 42, seed: 5)
        let steady = try #require(try ForecastFindingSource().findings(in: context(level)).first)
        #expect(steady.pValue > 0.5, "p \(steady.pValue), forecast \(steady.numbers["forecast_mean"] ?? .nan)")
        #expect(steady.effect.estimate > 0)
    }
}
