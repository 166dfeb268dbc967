import ArgumentParser
import Analytics
import Foundation
import Primitives

/// `ail alerts`: thresholds from a YAML config plus recent anomalies, printed with their evidence,
/// recorded in ai_alerts, and an exit status a CI pipeline can gate on.
struct AlertsCommand: ParsableCommand {
    /// Exit status when `--fail-on LEVEL` finds an alert at or above LEVEL (distinct from sysexits).
    static let failOnExitCode: Int32 = 3

    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Evaluate alert thresholds and recent anomalies on the database; print and record the active alerts.",
        discussion: """
        Four threshold kinds (YAML, see examples/alerts.yaml): tool_success_rate (minimum, \
        per-tool overrides under tools:), p95_latency (maximum_ms, per-tool overrides), \
        satisfaction (minimum mean rating), learning_application_rate (minimum applied share of \
        learning_events); each with severity (low|medium|high) and window_days. anomalies: \
        (min_severity, window_days) turns rows of ai_anomalies (ail detect anomalies) into alerts. \
        Windows end at the newest event in the database; --since DATE starts every window there.

        A threshold alerts only when the whole 95% interval is on the wrong side: Wilson for \
        rates, mean ± 1.96·s/√n for the mean rating, the order-statistic interval for the p95. \
        Without --config: tool success ≥ 0.90 (high), p95 ≤ 5000 ms (medium), each over 7 days; \
        mean rating ≥ 3.5 (medium, 14 days); learning applied ≥ 0.30 (low, 30 days); anomalies \
        of medium severity or more ending in the last 7 days.

        Active alerts are recorded in ai_alerts; an alert already recorded (same kind and \
        subject, or the same anomaly) is updated, not duplicated. A recorded alert of a kind the \
        config evaluates that no longer fires is marked resolved (status, resolved_at); it is \
        re-opened if it fires again. Alerts resolved in the last --resolved-days days are listed \
        after the active ones. A malformed config is refused with its line and the reason (exit 65).

        Exit status: 0 (also with active alerts, unless --fail-on); 3 when --fail-on LEVEL is \
        given and an alert at or above LEVEL is active; 65 for a refused config or --since.

        Examples:
          ail alerts
          ail alerts --config examples/alerts.yaml --fail-on high --format json
        """
    )

    @Option(help: ArgumentHelp("YAML file of thresholds (default: the built-in thresholds above).", valueName: "FILE")) var config: String?
    @Option(help: ArgumentHelp("Exit 3 when an alert at or above this severity is active.", valueName: "low|medium|high"))
    var failOn: String?
    @Option(help: ArgumentHelp("Start every window on this UTC date instead of window_days before the newest event.", valueName: "YYYY-MM-DD"))
    var since: String?
    @Option(help: ArgumentHelp("List alerts resolved within this many days (0: none).", valueName: "DAYS"))
    var resolvedDays: Int = 7
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: FormatOption

    func validate() throws {
        if let failOn, AlertSeverity(rawValue: failOn) == nil {
            throw ValidationError("--fail-on must be low, medium or high; got '\(failOn)'")
        }
        if !(0...3650).contains(resolvedDays) { throw ValidationError("--resolved-days must be a whole number of days from 0 to 3650; got \(resolvedDays)") }
        if let since, !Self.isDate(since) { throw ValidationError("--since must be a date YYYY-MM-DD; got '\(since)'") }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), (1...12).contains(m), y >= 1 else { return false }
        return d >= 1 && d <= CivilDate.daysInMonth(year: y, month: m)
    }

    func run() throws {
        let thresholds = try config.map { try AlertConfigParser.load(path: $0) } ?? .defaults
        let connection = try database.connect()
        let alerts = try AlertEvaluator(connection: connection).evaluate(thresholds, since: since)
        let store = AlertStore(connection: connection)
        let written = try store.record(alerts, evaluatedKinds: thresholds.evaluatedKinds)
        let resolved = resolvedDays > 0 ? try store.recentlyResolved(days: resolvedDays) : []
        let level = failOn.flatMap(AlertSeverity.init(rawValue:))
        let failing = level.map { l in alerts.contains { $0.severity >= l } } ?? false
        if output.format == .json {
            try JSONOutput.print(AlertsReport(alerts: alerts, recording: written, recentlyResolved: resolved, failOn: failOn, failing: failing))
        } else {
            print(AlertsReport.text(alerts, recording: written, recentlyResolved: resolved, days: resolvedDays))
        }
        if failing { throw ExitCode(Self.failOnExitCode) }
    }
}

/// The JSON shape of `ail alerts --format json`: `alerts` (status active) and
/// `recently_resolved` (status resolved, with resolved_at), plus what the run wrote.
struct AlertsReport: Encodable {
    struct Item: Encodable {
        var alert_kind: String, subject: String, severity: String, status: String, observed: Double, threshold: Double?, message: String
        var evidence: [String: EvidenceValue]
    }
    struct Resolved: Encodable {
        var id: Int, alert_kind: String, subject: String, severity: String, status: String, message: String
        var raised_at: String, resolved_at: String
    }
    var alerts: [Item]
    var recently_resolved: [Resolved]
    var inserted: Int, updated: Int, reopened: Int, resolved: Int
    var fail_on: String?
    var failing: Bool

    init(alerts: [Alert], recording r: AlertStore.Recording, recentlyResolved: [AlertStore.ResolvedAlert], failOn: String?, failing: Bool) {
        self.alerts = alerts.map { Item(alert_kind: $0.kind, subject: $0.subject, severity: $0.severity.rawValue, status: "active",
                                        observed: $0.observed, threshold: $0.threshold, message: $0.message, evidence: $0.evidence) }
        recently_resolved = recentlyResolved.map { Resolved(id: $0.id, alert_kind: $0.kind, subject: $0.subject, severity: $0.severity,
                                                            status: "resolved", message: $0.message, raised_at: $0.raisedAt,
                                                            resolved_at: $0.resolvedAt) }
        inserted = r.inserted; updated = r.updated; reopened = r.reopened; resolved = r.resolved.count
        fail_on = failOn; self.failing = failing
    }

    static func text(_ alerts: [Alert], recording r: AlertStore.Recording, recentlyResolved: [AlertStore.ResolvedAlert], days: Int) -> String {
        var lines: [String] = []
        if alerts.isEmpty {
            lines.append("no active alerts")
        } else {
            lines.append("\(alerts.count) active alert\(alerts.count == 1 ? "" : "s") (\(r.inserted) new, \(r.updated) updated"
                         + (r.reopened > 0 ? " of which \(r.reopened) re-opened" : "") + " in ai_alerts):")
            for a in alerts {
                lines.append("  [\(a.severity.rawValue)] \(a.kind) \(a.subject): \(a.message)")
                let window = [a.evidence["window_start"], a.evidence["window_end"]].compactMap { $0.map { String("\($0)".prefix(16)) } }
                if window.count == 2 { lines.append("      window \(window[0]) – \(window[1])") }
            }
        }
        if !r.resolved.isEmpty { lines.append("\(r.resolved.count) alert\(r.resolved.count == 1 ? "" : "s") resolved by this run") }
        if !recentlyResolved.isEmpty {
            lines.append("resolved in the last \(days) day\(days == 1 ? "" : "s"):")
            for a in recentlyResolved {
                lines.append("  [\(a.severity)] \(a.kind) \(a.subject): resolved \(a.resolvedAt.prefix(16)) (last fired \(a.raisedAt.prefix(16)))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
