import Analytics
import ArgumentParser
import Foundation
import Primitives
import Statistics

/// `ail learning …`: analyses of what the recorded sessions teach.
public struct Learning: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "learning",
        abstract: "Learn from the recorded sessions: patterns that go with success and failure, ranked insights, the notebook export.",
        subcommands: [AnalyzePatterns.self, GenerateInsights.self, LearningExportCommand.self, AnalyzePatternsSeedName.self]
    )
    public init() {}
}

/// The options of `ail learning analyze-patterns`.
struct AnalyzePatternsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only sessions started on or after this UTC date (YYYY-MM-DD) or RFC 3339 instant.", valueName: "DATE"))
    var since: String?
    @Option(help: ArgumentHelp("Least support of an itemset or sequence, a fraction of units in (0, 1].", valueName: "S"))
    var minSupport: Double = 0.05
    @Option(help: ArgumentHelp("Benjamini-Hochberg false discovery rate for the tests of the run.", valueName: "Q"))
    var fdr: Double = 0.05
    @Option(help: "Which frequent itemsets to report: all, closed or maximal.")
    var target: String = "all"
    @Option(help: "Longest frequent itemset reported (rules come from itemsets up to this length).")
    var maxLength: Int = 3
    @Option(help: "Longest itemset tested as a contrast pattern.")
    var contrastMaxLength: Int = 2
    @Option(help: "Longest tool-call sequence mined.")
    var sequenceMaxLength: Int = 3
    @Option(help: ArgumentHelp("Least confidence of an association rule.", valueName: "C"))
    var minConfidence: Double = 0.8
    @Option(help: ArgumentHelp("Fewest units on each side of a comparison for it to be tested.", valueName: "N"))
    var minGroup: Int = 10
    @Option(help: ArgumentHelp("Findings shown in text (JSON lists all).", valueName: "N"))
    var top: Int = 10
    @Flag(help: "Analyse and print without recording the run in the database.")
    var dryRun = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws { _ = try analysisOptions() }

    /// The library options, with every value checked (a refused value names its option).
    func analysisOptions() throws -> PatternAnalysisOptions {
        var o = PatternAnalysisOptions()
        if let since {
            let text = since.count == 10 ? since + "T00:00:00Z" : since
            guard let seconds = TimestampText.seconds(rfc3339: text) else {
                throw ValidationError("--since must be a date YYYY-MM-DD or an RFC 3339 instant; got '\(since)'")
            }
            o.since = Date(timeIntervalSince1970: seconds)
        }
        guard let t = ItemsetTarget(rawValue: target) else { throw ValidationError("--target must be all, closed or maximal; got '\(target)'") }
        o.target = t
        o.minSupport = minSupport
        o.fdr = fdr
        o.maxItemsetLength = maxLength
        o.contrastMaxLength = contrastMaxLength
        o.sequenceMaxLength = sequenceMaxLength
        o.minConfidence = minConfidence
        o.minimumGroup = minGroup
        do { try o.validate() } catch let e as NumericsError { throw ValidationError(e.message) }
        guard top >= 1 else { throw ValidationError("--top must be at least 1; got \(top)") }
        return o
    }

    func run() throws {
        let options = try analysisOptions()
        let started = Date()
        let connection = try database.connect()
        var result = try PatternAnalysis.run(connection, options: options)
        if !dryRun {
            result.runID = try PatternStore.record(result, options: options, startedAt: started, connection: connection)
        }
        if output.format == .json {
            try JSONOutput.print(result)
        } else {
            print(PatternText.render(result, top: top))
        }
    }
}

/// `ail learning analyze-patterns`.
struct AnalyzePatterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze-patterns",
        abstract: "Mine the sessions for itemsets, rules, contrast and sequential patterns and error templates, and record them.",
        discussion: """
        Per session: items context=TYPE, tool=NAME, generation_type=TYPE, language=NAME, \
        model=NAME, task_type=TYPE and tag=TAG. Frequent itemsets (FP-Growth) and rules (support, \
        confidence, lift > 1) describe them. Contrast patterns test every item and itemset (up to \
        --contrast-max-length, support >= S) against four outcomes: session_success (no failed \
        interaction or tool call in a session that reported one), satisfied (end rating, else mean \
        feedback rating, >= 4), code_accepted (decided generations) and tool_success:NAME \
        (sessions calling NAME, none of whose NAME calls failed). Fisher's exact test throughout; \
        effect = rate with minus rate without, 95% Newcombe interval; an itemset must also beat \
        each of its subsets. Tool-call sequences (PrefixSpan) are tested against session_success \
        the same way; error messages become templates (numbers, paths, ids masked; Drain-style) \
        counted per tool and day, with a quasi-Poisson trend per call. Benjamini-Hochberg q-values \
        cover every test of the run; the number of tests is reported. The run is recorded in \
        pattern_runs, pattern_findings, error_templates and error_template_daily.

        Examples:
          ail learning analyze-patterns
          ail learning analyze-patterns --since 2026-03-01 --min-support 0.02 --fdr 0.1 --format json
        """
    )
    @OptionGroup var options: AnalyzePatternsOptions
    func run() throws { try options.run() }
}

/// `ail learning analyze_patterns`: the seed's name for the same command (not listed in help).
struct AnalyzePatternsSeedName: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "analyze_patterns", shouldDisplay: false)
    @OptionGroup var options: AnalyzePatternsOptions
    func run() throws { try options.run() }
}
