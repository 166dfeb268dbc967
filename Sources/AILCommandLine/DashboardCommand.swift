import ArgumentParser
import Foundation
import Reporting
import Store

/// The window options shared by `dashboard`, `trends` and `report`.
struct ReportWindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Length of the window in days (compared with the window of equal length before it).", valueName: "N"))
    var days: Int = 7
    @Option(help: ArgumentHelp("Last day of the window, YYYY-MM-DD (UTC). Default: the day of the latest stored event.", valueName: "DAY"))
    var asOf: String?

    func validate() throws {
        guard days >= 1, days <= 3660 else { throw ValidationError("--days must be between 1 and 3660; got \(days)") }
        if let asOf, DayWindow.day(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD; got '\(asOf)'") }
    }

    var asOfDay: Int64? { asOf.flatMap(DayWindow.day) }
}

/// Runs `body`, turning a reporting error (nothing to report on) into an input error (exit 65).
func reporting<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ReportingError { throw InputError(error.description) }
}

/// `ail dashboard`: one screen of KPIs, rankings, trend and insights.
struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "One screen: KPIs against the previous period, tool ranking, code acceptance, satisfaction trend, insights, alerts.",
        discussion: """
        Every figure covers the --days N whole UTC days ending with --as-of (default: the day of \
        the latest stored event) and is compared with the N days before. Rates carry Wilson 95% \
        intervals; tools are ranked by the interval's lower bound. Insights (ai_performance_insights) \
        and alerts are shown when their tables hold rows. Read-only.

        Examples:
          ail dashboard
          ail dashboard --days 30 --as-of 2026-03-31 --format json
        """)

    @OptionGroup var window: ReportWindowOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let connection = try database.connect()
        let dashboard = try reporting { try Dashboard.read(connection, days: window.days, asOf: window.asOfDay) }
        if output.format == .json {
            print(try JSONOutput.text(dashboard.jsonObject(), pretty: true))
        } else {
            print(dashboard.text())
        }
    }
}

/// `ail trends`: daily series with day-over-day and period-over-period changes.
struct TrendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Daily series (sessions, success, tool failures, acceptance, satisfaction, p95 latency) with their changes.",
        discussion: """
        One row per UTC day of the window, each rate with its change from the day before \
        (percentage points), then each series over the whole window against the window of equal \
        length before it. Days without events show "—" (no data), never 0%.

        Examples:
          ail trends --days 30
          ail trends --days 14 --as-of 2026-03-31 --format json
        """)

    @OptionGroup var window: ReportWindowOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let connection = try database.connect()
        let trends = try reporting { try Trends.read(connection, days: window.days, asOf: window.asOfDay) }
        if output.format == .json {
            print(try JSONOutput.text(trends.jsonObject(), pretty: true))
        } else {
            print(trends.text())
        }
    }
}

/// `ail report --out FILE.html`: the self-contained HTML report.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report with SVG charts (no scripts, no network).",
        discussion: """
        Sections: key figures, daily trends (stored anomalies ringed on their series), tool \
        ranking and code acceptance with Wilson 95% intervals, model calibration (when models \
        recorded calibration bins in model_performance_metrics), insights and alerts (when present).

        Examples:
          ail report --out report.html
          ail report --out march.html --days 31 --as-of 2026-03-31
        """)

    @Option(help: "Where to write the HTML file (its folder is created if missing).")
    var out: String

    func validate() throws {
        guard !out.isEmpty, !out.hasSuffix("/") else { throw ValidationError("--out must name a file, e.g. report.html; got '\(out)'") }
    }
    @OptionGroup var window: ReportWindowOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let connection = try database.connect()
        let report = try reporting { try ReportBuilder.build(connection, days: window.days, asOf: window.asOfDay) }
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(report.render().utf8).write(to: url, options: .atomic)
        let path = url.standardizedFileURL.path
        if output.format == .json {
            print(try JSONOutput.text(["path": path, "sections": report.sections.map(\.id), "charts": report.chartIDs], pretty: true))
        } else {
            print("report: \(path) (\(report.sections.count) sections, \(report.chartIDs.count) charts)")
        }
    }
}
