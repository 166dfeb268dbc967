import Analytics
import ArgumentParser
import Foundation
import Primitives

/// `ail learning generate-insights`: one run of the insights engine, written to ai_performance_insights.
struct GenerateInsights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-insights",
        abstract: "Find effects in the recorded data and write them as ranked insights with calibrated confidence.",
        discussion: """
        Tests every hypothesis of every finding source (today: effects of tools, context types, \
        generation types and languages on tool-call success and code acceptance, and of failed \
        and slow tool calls on session success and satisfaction, each adjusted for task type, \
        session length, day and context, with errors clustered by developer; the stored pattern \
        run and anomalies; cohort disparities adjusted for task mix; the satisfaction forecast \
        against the alert minimum; calibration drift of the registered classifiers) as ONE \
        Benjamini-Hochberg family. A hypothesis with q <= --fdr becomes an insight; its \
        confidence is 1 - local false discovery rate of its p-value (a Beta-uniform mixture \
        fitted to the run's p-values). A raw difference that vanishes after adjustment is written \
        as such (direction none). Insights are ranked by impact x confidence.

        A recurring insight (same fingerprint: kind, subject, metric, direction) updates its \
        figures and last_seen; one not found again expires after --expire-runs runs or \
        --expire-days days.

        Examples:
          ail learning generate-insights
          ail learning generate-insights --since 2026-03-01 --fdr 0.05 --format json
        """
    )

    @Option(help: ArgumentHelp("Analyse events from this date or time on (YYYY-MM-DD or RFC 3339; UTC when no offset).", valueName: "DATE"))
    var since: String?
    @Option(help: ArgumentHelp("Benjamini-Hochberg false discovery rate level, in (0, 1).", valueName: "Q"))
    var fdr: Double = 0.1
    @Option(help: ArgumentHelp("Expire an insight not found for this many runs.", valueName: "N"))
    var expireRuns: Int = 3
    @Option(help: ArgumentHelp("Expire an insight not found for this many days.", valueName: "D"))
    var expireDays: Double = 14
    @Option(help: ArgumentHelp("Show this many insights (text output).", valueName: "N"))
    var show: Int = 10
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        guard fdr.isFinite, fdr > 0, fdr < 1 else { throw ValidationError("--fdr must be in (0, 1); got \(fdr)") }
        guard expireRuns >= 1 else { throw ValidationError("--expire-runs must be at least 1; got \(expireRuns)") }
        guard expireDays.isFinite, expireDays > 0 else { throw ValidationError("--expire-days must be a positive number; got \(expireDays)") }
        guard show >= 0 else { throw ValidationError("--show must be 0 or more; got \(show)") }
        if let since, sinceDate(since) == nil {
            throw ValidationError("--since must be a date (YYYY-MM-DD) or an RFC 3339 time; got '\(since)'")
        }
    }

    private func sinceDate(_ text: String) -> Date? {
        TimestampText.microseconds(text, form: .postgres).map { Date(timeIntervalSince1970: Double($0) / 1e6) }
    }

    func run() throws {
        let connection = try database.connect()
        let now = Date()
        let context = FindingContext(connection: connection, since: since.flatMap(sinceDate), until: now)
        let engine = InsightEngine(sources: InsightSources.all, fdr: fdr)
        let result = try engine.run(context)
        let start = Date()
        let summary = try InsightStore(connection: connection).write(
            result, context: context, fdr: fdr, now: now,
            policy: ExpiryPolicy(missedRuns: expireRuns, maxAge: expireDays * 86_400))
        let stages = result.stageSeconds + [("write", Date().timeIntervalSince(start))]
        switch output.format {
        case .json:
            try JSONOutput.print(GenerateInsightsReport(
                run: summary, hypotheses: result.findings.count, nullShare: result.model.nullShare, fdr: fdr,
                stageSeconds: Dictionary(stages.map { ($0.0, $0.1) }, uniquingKeysWith: +), insights: result.insights))
        case .text:
            print("run \(summary.runID): \(result.findings.count) hypotheses in one BH family (q <= \(fdr)), "
                  + "estimated null share \(String(format: "%.2f", result.model.nullShare))")
            print("\(result.insights.count) insights: \(summary.inserted) new, \(summary.updated) seen again; "
                  + "\(summary.expired) expired; \(summary.open) open")
            print("stages: " + stages.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", "))
            for insight in result.insights.prefix(show) {
                print(String(format: "%3d  %.2f  ", insight.rank, insight.confidence) + insight.title)
            }
        }
    }
}

/// `generate-insights --format json`.
struct GenerateInsightsReport: Encodable {
    var run: InsightWriteSummary
    var hypotheses: Int
    var nullShare: Double
    var fdr: Double
    var stageSeconds: [String: Double]
    var insights: [Insight]

    enum CodingKeys: String, CodingKey {
        case run, hypotheses, nullShare = "null_share", fdr, stageSeconds = "stage_seconds", insights
    }
}
