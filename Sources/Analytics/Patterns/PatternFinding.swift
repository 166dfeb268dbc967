import Foundation

/// One finding of a pattern run, with the statistics the insights writer ranks it by.
/// The fields mirror the columns of `pattern_findings` (migration 022).
public struct PatternFinding: Codable, Sendable, Equatable {
    /// itemset, rule, contrast, sequence or error_trend.
    public var kind: String
    /// session_success, satisfied, code_accepted, tool_success:NAME (contrast, sequence); the tool or `all` (error_trend).
    public var outcome: String?
    public var pattern: [String]
    public var consequent: [String]?
    public var support: Double?
    public var n: Int
    public var nWith: Int?
    public var rateWith: Double?
    public var rateWithout: Double?
    public var effect: Double?
    public var effectMeasure: String?
    public var confLow: Double?
    public var confHigh: Double?
    public var logOddsRatio: Double?
    public var pValue: Double?
    public var qValue: Double?
    public var significant: Bool?
    public var method: String
    public var details: [String: Double]

    enum CodingKeys: String, CodingKey {
        case kind, outcome, pattern, consequent, support, n, effect, method, details, significant
        case nWith = "n_with", rateWith = "rate_with", rateWithout = "rate_without", effectMeasure = "effect_measure"
        case confLow = "conf_low", confHigh = "conf_high", logOddsRatio = "log_odds_ratio", pValue = "p_value", qValue = "q_value"
    }

    /// Whether the finding was tested (and so belongs to the run's Benjamini–Hochberg family).
    public var isTested: Bool { pValue != nil }
}

/// An error template with its counts per tool and day and its trend.
public struct ErrorTemplateSummary: Codable, Sendable, Equatable {
    public struct DailyCount: Codable, Sendable, Equatable {
        public var tool: String
        /// UTC day, YYYY-MM-DD.
        public var day: String
        public var count: Int
    }

    public var template: String
    public var example: String
    public var totalCount: Int
    public var firstSeen: Date
    public var lastSeen: Date
    public var countsByTool: [String: Int]
    public var daily: [DailyCount]
    /// Log rate per day (per call), its p-value and q-value; nil when no trend could be estimated.
    public var trendSlope: Double?
    public var trendPValue: Double?
    public var trendQValue: Double?

    enum CodingKeys: String, CodingKey {
        case template, example, daily
        case totalCount = "total_count", firstSeen = "first_seen", lastSeen = "last_seen", countsByTool = "counts_by_tool"
        case trendSlope = "trend_slope", trendPValue = "trend_p_value", trendQValue = "trend_q_value"
    }
}

/// Everything one run of the pattern analysis found.
public struct PatternAnalysisResult: Codable, Sendable {
    public var sessions: Int
    /// Units per tested outcome (sessions, or decided generations for code_accepted).
    public var unitsByOutcome: [String: Int]
    /// Hypotheses tested: the m of Benjamini–Hochberg.
    public var testsCount: Int
    /// Tests with q ≤ fdr.
    public var discoveries: Int
    public var fdr: Double
    public var minSupport: Double
    /// Frequent itemsets found per length (before the length limit of what is stored).
    public var itemsetCountsByLength: [String: Int]
    public var findings: [PatternFinding]
    public var errorTemplates: [ErrorTemplateSummary]
    /// Set once the run is recorded.
    public var runID: Int?

    enum CodingKeys: String, CodingKey {
        case sessions, findings, discoveries, fdr
        case unitsByOutcome = "units_by_outcome", testsCount = "tests_count", minSupport = "min_support"
        case itemsetCountsByLength = "itemset_counts_by_length", errorTemplates = "error_templates", runID = "run_id"
    }

    /// Tested findings, most significant first (q, then p, then larger |effect|).
    public var rankedTests: [PatternFinding] {
        findings.filter(\.isTested).sorted { a, b in
            if a.qValue != b.qValue { return (a.qValue ?? 1) < (b.qValue ?? 1) }
            if a.pValue != b.pValue { return (a.pValue ?? 1) < (b.pValue ?? 1) }
            return abs(a.effect ?? 0) > abs(b.effect ?? 0)
        }
    }
}
