@testable import Analytics
import Foundation
import Statistics
import Testing
import TestSupport
import Tracking

/// Hypotheses whose models differ only in the column tested (each generation type and language
/// in the acceptance model; failed calls and latency in each session model) read their effects
/// from one shared fit. Each must equal what its own fit gives (the path before sharing): the
/// design rebuilt here for that one hypothesis, fitted and read by `AdjustedEffect.estimate`.
@Suite(.serialized) struct SharedFitTests {
    @Test func sharedFitsEqualOneFitPerHypothesis() throws {
        let h = try InsightHarness(scenario: .default, developers: 14, days: 40, seed: 31)
        let context = FindingContext(connection: h.connection, since: nil, until: Date(timeIntervalSince1970: 4_102_444_800))
        let source = AdjustedEffectsSource()

        // acceptance: both factors, log lines and the session confounders in one model
        let g = try EffectData.generations(context)
        let all = Array(g.accepted.indices)
        func acceptanceDesign(_ smooth: Bool) -> DesignColumns {
            var design = DesignColumns()
            design.addDummies("generation_type", codes: g.type, levels: g.typeLevels, minimum: source.minimumGroup)
            design.addDummies("language", codes: g.language, levels: g.languageLevels, minimum: source.minimumGroup)
            design.add("log_lines", g.logLines)
            design.addSessionConfounders(g.session, rows: all, smooth: smooth)
            return design
        }
        let design = acceptanceDesign(false)
        let acceptance = try source.acceptanceFindings(g)
        #expect(acceptance.count >= 4, "too few acceptance hypotheses to compare: \(acceptance.count)")
        for finding in acceptance {
            let (factor, level) = try #require(finding.subject.first)
            let column = try #require(design.names.firstIndex(of: "\(factor)=\(level)"))
            let factorColumns = design.names.indices.filter { design.names[$0].hasPrefix("\(factor)=") }
            let own = try ownFit(acceptanceDesign) {
                try AdjustedEffect.estimate(y: g.accepted, design: $0, target: column, factorColumns: factorColumns,
                                            binaryExposure: true, clusters: g.session.developer, kind: .binary, scale: "probability")
            }
            expectSame(finding, own)
        }

        // sessions: both exposures in one model per outcome
        let s = try EffectData.sessions(context)
        func sessionDesign(_ smooth: Bool) -> DesignColumns {
            var design = DesignColumns()
            design.add("failed_tool_calls", s.failures)
            design.add("mean_tool_latency_seconds", s.meanLatencySeconds)
            design.addSessionConfounders(s.session, rows: Array(s.rating.indices), smooth: smooth)
            return design
        }
        let sessions = try source.sessionFindings(s)
        #expect(sessions.count == 4, "expected 2 outcomes × 2 exposures, got \(sessions.count)")
        for finding in sessions {
            let column = finding.subject["session_measure"] == "failed_tool_calls" ? 0 : 1
            let binary = finding.metric == "session_success"
            let y = binary ? s.rating.map { $0 >= 4 ? 1.0 : 0.0 } : s.rating
            let own = try ownFit(sessionDesign) {
                try AdjustedEffect.estimate(y: y, design: $0, target: column, binaryExposure: false,
                                            clusters: s.session.developer, kind: binary ? .binary : .rating, scale: finding.effect.scale)
            }
            expectSame(finding, own)
        }
    }

    /// The hypothesis's own fit, with binned session length, else (separation) the smooth form:
    /// the source's fallback, per hypothesis.
    private func ownFit(_ design: (Bool) -> DesignColumns, _ fit: (DesignColumns) throws -> AdjustedEffect) throws -> AdjustedEffect {
        do { return try fit(design(false)) } catch is NumericsError { return try fit(design(true)) }
    }

    private func expectSame(_ finding: Finding, _ own: AdjustedEffect) {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }
        let what = "\(finding.metric) \(finding.subject)"
        #expect(close(finding.effect.estimate, own.effect.estimate), "\(what): effect \(finding.effect.estimate) vs own fit \(own.effect.estimate)")
        #expect(close(finding.effect.confLow, own.effect.confLow), "\(what): low \(finding.effect.confLow) vs \(own.effect.confLow)")
        #expect(close(finding.effect.confHigh, own.effect.confHigh), "\(what): high \(finding.effect.confHigh) vs \(own.effect.confHigh)")
        #expect(close(finding.pValue, own.pValue), "\(what): p \(finding.pValue) vs own fit \(own.pValue)")
        let se = finding.numbers["std_error"] ?? .nan
        #expect(close(se, own.standardError), "\(what): SE \(se) vs own fit \(own.standardError)")
    }
}
