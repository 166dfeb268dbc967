import Foundation
import Statistics

/// Settings of a pattern run (the options of `ail learning analyze-patterns`).
public struct PatternAnalysisOptions: Sendable {
    /// Sessions started at or after this instant; nil for all.
    public var since: Date?
    /// Least support (fraction of units) of an itemset or sequence mined or tested.
    public var minSupport: Double = 0.05
    /// Benjamini–Hochberg level.
    public var fdr: Double = 0.05
    /// Longest itemset reported among the frequent itemsets and rules.
    public var maxItemsetLength: Int = 3
    /// Longest itemset tested as a contrast pattern.
    public var contrastMaxLength: Int = 2
    /// Longest tool-call sequence mined (sequences of 2 or more calls are tested).
    public var sequenceMaxLength: Int = 3
    /// Least confidence of a rule (rules also need lift > 1).
    public var minConfidence: Double = 0.8
    /// Which frequent itemsets are reported.
    public var target: ItemsetTarget = .all
    /// Fewest units on each side of a comparison; smaller comparisons are not tested (nor counted).
    public var minimumGroup: Int = 10
    /// Fewest occurrences of an error template for its trend to be tested.
    public var minimumTemplateCount: Int = 10
    /// Confidence level of the intervals.
    public var level: Double = 0.95

    public init() {}

    /// Refuses settings outside their ranges, naming the option.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw NumericsError(.badArgument, message) }
        }
        try check(minSupport.isFinite && minSupport > 0 && minSupport <= 1, "--min-support must be a fraction in (0, 1]; got \(minSupport)")
        try check(fdr.isFinite && fdr > 0 && fdr < 1, "--fdr must be in (0, 1); got \(fdr)")
        try check((1 ... 8).contains(maxItemsetLength), "--max-length must be in 1...8; got \(maxItemsetLength)")
        try check((1 ... 4).contains(contrastMaxLength), "--contrast-max-length must be in 1...4; got \(contrastMaxLength)")
        try check((2 ... 6).contains(sequenceMaxLength), "--sequence-max-length must be in 2...6; got \(sequenceMaxLength)")
        try check(minConfidence.isFinite && minConfidence >= 0 && minConfidence <= 1, "--min-confidence must be in [0, 1]; got \(minConfidence)")
        try check(minimumGroup >= 1, "--min-group must be at least 1; got \(minimumGroup)")
        try check(minimumTemplateCount >= 1, "the minimum template count must be at least 1; got \(minimumTemplateCount)")
        try check(level > 0 && level < 1, "the confidence level must be in (0, 1); got \(level)")
    }
}
