import Analytics
import ArgumentParser
import Foundation

/// `ail insights`: the current insights, best first.
struct InsightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insights",
        abstract: "List the open insights, best first (by impact x confidence).",
        discussion: """
        Reads ai_performance_insights (written by `ail learning generate-insights`): open and \
        acknowledged insights in rank order. Confidence is the calibrated probability that the \
        insight is real (see the README, Insights).

        Examples:
          ail insights --limit 5
          ail insights --category performance --min-confidence 0.9 --format json
        """
    )

    @Option(help: ArgumentHelp("Only this category: performance, user_experience, learning, predictive or fairness.", valueName: "C"))
    var category: String?
    @Option(help: ArgumentHelp("Only insights with at least this confidence, in [0, 1].", valueName: "X"))
    var minConfidence: Double = 0
    @Option(help: ArgumentHelp("At most N insights.", valueName: "N"))
    var limit: Int?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        if let category, InsightCategory(rawValue: category) == nil {
            throw ValidationError("--category must be one of \(InsightCategory.allCases.map(\.rawValue).joined(separator: ", ")); got '\(category)'")
        }
        guard minConfidence.isFinite, minConfidence >= 0, minConfidence <= 1 else {
            throw ValidationError("--min-confidence must be in [0, 1]; got \(minConfidence)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1; got \(limit)") }
    }

    func run() throws {
        let connection = try database.connect()
        let insights = try InsightStore(connection: connection).current(
            category: category.flatMap(InsightCategory.init(rawValue:)), minConfidence: minConfidence, limit: limit)
        switch output.format {
        case .json:
            try JSONOutput.print(insights)
        case .text:
            if insights.isEmpty { print("no open insights (run `ail learning generate-insights`)"); return }
            for i in insights {
                print(String(format: "%3d  %.2f  %@  %@", i.rank ?? 0, i.confidence, i.category, i.title))
                if let action = i.recommendedAction { print("          → \(action)") }
            }
        }
    }
}
