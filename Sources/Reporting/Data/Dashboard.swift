import Foundation
import Store

/// Everything `ail dashboard` shows for one window, read in one pass; the HTML report reads
/// the same value, so the screen and the report never disagree.
public struct Dashboard: Sendable {
    public var window: DayWindow
    public var kpis: [KPIChange]
    public var current: KPISnapshot, previous: KPISnapshot
    public var tools: [ToolEffectiveness]
    public var codeGeneration: [CodeGenerationGroup]
    /// Daily points of the window (the satisfaction trend and the report's charts).
    public var daily: [DailyPoint]
    public var insights: [InsightSummary]
    public var alerts: [AlertSummary]

    /// Reads the dashboard of the `days` days ending with `asOf` (default: the day of the latest event).
    /// - Throws: ``ReportingError`` when the database holds no events and no `asOf` is given.
    public static func read(_ connection: Connection, days: Int, asOf: Int64?, insightLimit: Int = 5, alertLimit: Int = 10) throws -> Dashboard {
        let window = try DayWindow.resolve(connection, days: days, asOf: asOf)
        let current = try KPISnapshot.read(connection, window: window)
        let previous = try KPISnapshot.read(connection, window: window.previous)
        return Dashboard(
            window: window, kpis: KPIChange.list(current: current, previous: previous), current: current, previous: previous,
            tools: try ToolEffectiveness.read(connection, window: window),
            codeGeneration: try CodeGenerationGroup.read(connection, window: window),
            daily: try DailySeries.read(connection, window: window),
            insights: try InsightSummary.top(connection, limit: insightLimit),
            alerts: try AlertSummary.active(connection, limit: alertLimit))
    }
}

/// A request the reporting commands cannot answer, with what to do about it.
public struct ReportingError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ message: String) { description = message }
}

extension DayWindow {
    /// The window for `--days N [--as-of DAY]`: the last N days through `asOf`, or through the
    /// day of the latest stored event.
    public static func resolve(_ connection: Connection, days: Int, asOf: Int64?) throws -> DayWindow {
        guard days >= 1, days <= 3660 else { throw ReportingError("--days must be between 1 and 3660; got \(days)") }
        if let asOf { return DayWindow(endingOn: asOf, days: days) }
        guard let latest = try DayWindow.latestDataDay(connection) else {
            throw ReportingError("the database holds no sessions or events yet: load some (ail ingest, ail simulate --load) or give --as-of YYYY-MM-DD")
        }
        return DayWindow(endingOn: latest, days: days)
    }
}
