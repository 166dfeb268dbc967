import Foundation
import Statistics
import Store

/// `ail learning analyze-patterns`: frequent itemsets and rules, contrast patterns, sequential
/// patterns and error templates over the sessions in the window, with Benjamini–Hochberg control
/// of the false discovery rate across every test of the run (contrasts, sequences and template
/// trends together: m = ``PatternAnalysisResult/testsCount``).
public enum PatternAnalysis {
    /// Reads the database and analyses it (nothing is written; see ``PatternStore``).
    public static func run(_ connection: Connection, options: PatternAnalysisOptions) throws -> PatternAnalysisResult {
        try options.validate()
        return try analyze(PatternData.load(connection, since: options.since), options: options)
    }

    /// The analysis of data already read.
    public static func analyze(_ data: PatternData, options: PatternAnalysisOptions) throws -> PatternAnalysisResult {
        try options.validate()
        let itemsets = try ItemsetAnalysis.run(data, options: options)
        let contrasts = try ContrastAnalysis.run(data, options: options)
        let sequences = try SequenceAnalysis.run(data, options: options)
        var templates = ErrorTemplateAnalysis.run(data, options: options)

        var tested = contrasts.findings + sequences
        for (summary, trend) in templates {
            guard let trend else { continue }
            let z = Normal().quantile(0.5 + options.level / 2)
            tested.append(PatternFinding(kind: "error_trend", outcome: "all", pattern: [summary.template], consequent: nil,
                                         support: nil, n: trend.n, nWith: summary.totalCount, rateWith: nil, rateWithout: nil,
                                         effect: trend.slope, effectMeasure: "log_rate_per_day",
                                         confLow: trend.slope - z * trend.standardError, confHigh: trend.slope + z * trend.standardError,
                                         logOddsRatio: nil, pValue: trend.pValue, qValue: nil, significant: nil, method: "poisson_trend",
                                         details: ["standard_error": trend.standardError, "dispersion": trend.dispersion]))
        }
        let q = try BenjaminiHochberg.adjust(tested.map { $0.pValue ?? 1 })
        for i in tested.indices {
            tested[i].qValue = q[i]
            tested[i].significant = q[i] <= options.fdr
        }
        var qOfTemplate: [String: Double] = [:]
        for f in tested where f.kind == "error_trend" { qOfTemplate[f.pattern[0]] = f.qValue }
        for i in templates.indices { templates[i].summary.trendQValue = qOfTemplate[templates[i].summary.template] }

        var result = PatternAnalysisResult(sessions: data.sessions.count, unitsByOutcome: contrasts.units, testsCount: tested.count,
                                           discoveries: tested.filter { $0.significant == true }.count, fdr: options.fdr,
                                           minSupport: options.minSupport, itemsetCountsByLength: itemsets.countsByLength,
                                           findings: [], errorTemplates: templates.map(\.summary), runID: nil)
        result.findings = result.rankedTestsOf(tested) + itemsets.findings
        return result
    }
}

extension PatternAnalysisResult {
    func rankedTestsOf(_ tested: [PatternFinding]) -> [PatternFinding] {
        var copy = self
        copy.findings = tested
        return copy.rankedTests
    }
}
