import ArgumentParser
import Foundation
import Testing
@testable import AILCommandLine
@testable import Statistics

/// Fairness metrics against ProPublica's COMPAS data and the numpy/fairlearn reference
/// (`refdata/fairness`): every count and rate, and every disparity, to 1e-12.
@Suite struct FairnessTests {
    static func report(_ arguments: [String]) throws -> FairnessAuditReport {
        let command = try #require(try AIL.parseAsRoot(["fairness"] + arguments) as? Fairness)
        return try command.makeReport()
    }

    /// The COMPAS rows as (race, two_year_recid, high_risk, decile_score), read independently of
    /// the command's CSV path.
    static func compasRows() throws -> [(race: String, y: Double, p: Double, score: Double)] {
        let text = try String(contentsOf: Refdata.url("fairness/compas_two_year_filtered.csv"), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        let race = try #require(header.firstIndex(of: "race")), y = try #require(header.firstIndex(of: "two_year_recid"))
        let p = try #require(header.firstIndex(of: "high_risk")), s = try #require(header.firstIndex(of: "decile_score"))
        return lines.map { ($0[race], Double($0[y])!, Double($0[p])!, Double($0[s])!) }
    }

    static func check(_ audit: FairnessAudit, against analysis: [String: Any]) throws {
        let groups = try #require(analysis["groups"] as? [String: [String: Any]])
        #expect(audit.byGroup.map(\.group) == groups.keys.sorted())
        for g in audit.byGroup {
            let ref = try #require(groups[g.group])
            #expect(g.count == ref["n"] as? Int && g.truePositives == ref["tp"] as? Int && g.falsePositives == ref["fp"] as? Int)
            #expect(g.trueNegatives == ref["tn"] as? Int && g.falseNegatives == ref["fn"] as? Int)
            let pairs: [(Double, String)] = [(g.selectionRate, "selection_rate"), (g.truePositiveRate, "tpr"), (g.falsePositiveRate, "fpr"),
                                             (g.falseNegativeRate, "fnr"), (g.positivePredictiveValue, "ppv"), (g.baseRate, "base_rate"), (g.accuracy, "accuracy")]
            for (value, key) in pairs {
                let expected = Refdata.double(ref[key])
                #expect(!expected.isNaN && abs(value - expected) <= 1e-12, "\(g.group) \(key): \(value) vs \(expected)")
            }
        }
        let aggregate = try #require(analysis["aggregate"] as? [String: Any])
        for (name, value) in audit.disparities.named {
            let expected = Refdata.double(aggregate[name])
            #expect(!expected.isNaN && abs(value - expected) <= 1e-12, "\(name): \(value) vs \(expected)")
        }
    }

    @Test func everyReferenceNumberToOneInTenToTheTwelve() throws {
        let reference = try #require(try Refdata.json("fairness/compas_fairness_reference.json") as? [String: Any])
        let analyses = try #require(reference["analyses"] as? [String: [String: Any]])
        let rows = try Self.compasRows()
        let all = try FairnessAudit.audit(groups: rows.map(\.race), labels: rows.map(\.y), predictions: rows.map(\.p))
        try Self.check(all, against: try #require(analyses["race_all_six"]))
        let bw = rows.filter { $0.race == "African-American" || $0.race == "Caucasian" }
        let two = try FairnessAudit.audit(groups: bw.map(\.race), labels: bw.map(\.y), predictions: bw.map(\.p))
        try Self.check(two, against: try #require(analyses["race_black_vs_white"]))
        #expect(two.byGroup.count == 2 && all.byGroup.count == 6 && all.overall.count == 6172)
    }

    /// The same numbers through `ail fairness --data`, with calibration by decile score.
    @Test func commandLineReproducesTheReference() throws {
        let reference = try #require(try Refdata.json("fairness/compas_fairness_reference.json") as? [String: Any])
        let analysis = try #require((reference["analyses"] as? [String: [String: Any]])?["race_all_six"])
        let report = try Self.report(["--data", try Refdata.url("fairness/compas_two_year_filtered.csv").path, "--group", "race",
                                      "--label", "two_year_recid", "--prediction", "high_risk", "--score", "decile_score",
                                      "--resamples", "200", "--format", "json"])
        let aggregate = try #require(analysis["aggregate"] as? [String: Any])
        for m in report.disparities {
            let expected = Refdata.double(aggregate[m.name])
            let value = try #require(m.value)
            #expect(abs(value - expected) <= 1e-12, "\(m.name)")
            let (lo, hi) = (try #require(m.confLow), try #require(m.confHigh))
            #expect(lo <= value + 1e-12 || m.name.hasSuffix("ratio"), "\(m.name) interval [\(lo), \(hi)]")
            #expect(lo < hi)
        }
        #expect(report.rows == 6172 && report.rowsSkipped == 0)
        // Decile score: one bin per value; in the Caucasian decile-1 bin, the recidivism rate is
        // counted here directly from the rows.
        let calibration = try #require(report.calibration)
        #expect(calibration.binning == "distinct")
        let rows = try Self.compasRows().filter { $0.race == "Caucasian" && $0.score == 1 }
        let expected = Double(rows.filter { $0.y == 1 }.count) / Double(rows.count)
        let bin = try #require(calibration.groups.first { $0.group == "Caucasian" }?.bins.first { $0.lower == 1 })
        #expect(bin.count == rows.count && abs((bin.observedRate ?? .nan) - expected) < 1e-15)
        #expect(try JSONOutput.text(report).contains("\"equalized_odds_difference\""))
    }

    /// The bootstrap: the same seed gives the same intervals; its standard error of the DP
    /// difference between two groups agrees with the binomial formula
    /// √(p₁(1−p₁)/n₁ + p₂(1−p₂)/n₂) (independent groups, fixed sizes) within 10%.
    @Test func stratifiedBootstrapIsSeededAndAgreesWithTheBinomialStandardError() throws {
        let rows = try Self.compasRows().filter { $0.race == "African-American" || $0.race == "Caucasian" }
        let run = { (seed: UInt64) in
            try FairnessAudit.audit(groups: rows.map(\.race), labels: rows.map(\.y), predictions: rows.map(\.p), resamples: 1000, seed: seed)
        }
        let a = try run(7), b = try run(7), c = try run(8)
        let ba = try #require(a.bootstrap), bb = try #require(b.bootstrap), bc = try #require(c.bootstrap)
        #expect(ba.intervals == bb.intervals)
        #expect(ba.intervals != bc.intervals)
        let dp = try #require(ba.interval("demographic_parity_difference"))
        let (p1, n1) = (1829.0 / 3175, 3175.0), (p2, n2) = (696.0 / 2103, 2103.0)
        let analytic = (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2).squareRoot()
        #expect(abs(dp.standardError / analytic - 1) < 0.1, "bootstrap SE \(dp.standardError) vs binomial \(analytic)")
        // EO difference here is |ΔTPR| (0.2116 > 0.2032 for FPR); its interval covers the estimate.
        let eo = try #require(ba.interval("equalized_odds_difference"))
        #expect(eo.lower < 0.2115821530429738 && eo.upper > 0.2115821530429738 && eo.undefined == 0)
    }

    @Test func hardCasesAreDefinedOrNamed() throws {
        // A group without positives has no TPR: it is left out of the TPR spread.
        let audit = try FairnessAudit.audit(groups: ["a", "a", "b", "b", "c", "c"], labels: [1, 0, 1, 0, 0, 0], predictions: [1, 0, 0, 1, 1, 0])
        #expect(audit.byGroup[2].truePositiveRate.isNaN)
        #expect(audit.disparities.truePositiveRateDifference == 1 && audit.disparities.falsePositiveRateDifference == 1)
        #expect(audit.disparities.equalizedOddsRatio == 0)
        #expect(throws: NumericsError.self) { try FairnessAudit.audit(groups: ["a"], labels: [2], predictions: [1]) }
        #expect(throws: NumericsError.self) { try FairnessAudit.audit(groups: ["a", "b"], labels: [1], predictions: [1, 0]) }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("ail-fair-\(UUID().uuidString).csv")
        try "g,y,p\na,1,1\nb,0,maybe\n".write(to: csv, atomically: true, encoding: .utf8)
        do {
            _ = try Self.report(["--data", csv.path, "--group", "g", "--label", "y", "--prediction", "p"])
            Issue.record("a prediction of 'maybe' was accepted")
        } catch let error as InputError {
            #expect(error.description.contains("line 3") && error.description.contains("--prediction"))
        }
        #expect(throws: (any Error).self) { try Self.report(["--data", csv.path, "--group", "g"]) }
    }
}
