import Foundation

/// How serious an alert is; ordered so `--fail-on medium` matches medium and high.
public enum AlertSeverity: String, Sendable, Comparable, CaseIterable {
    case low, medium, high
    var rank: Int { switch self { case .low: 0; case .medium: 1; case .high: 2 } }
    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rank < b.rank }
}

/// A lower bound on a proportion or mean: alert when the whole 95% interval is below `minimum`.
public struct MinimumThreshold: Sendable, Equatable {
    public var minimum: Double
    public var severity: AlertSeverity
    public var windowDays: Int
}

/// The thresholds `ail alerts` evaluates: the seed's four alert kinds plus recent anomalies.
/// Read from YAML by ``AlertConfigParser``; ``AlertConfig/defaults`` applies without a file.
public struct AlertConfig: Sendable, Equatable {
    /// Minimum success rate of each tool's calls: `defaultMinimum` unless `perTool` names the tool.
    public struct ToolSuccess: Sendable, Equatable {
        public var defaultMinimum: Double
        public var perTool: [String: Double]
        public var severity: AlertSeverity
        public var windowDays: Int
        public func minimum(for tool: String) -> Double { perTool[tool] ?? defaultMinimum }
    }
    /// Maximum p95 execution time (ms) per tool: alert when the 95% order-statistic interval of
    /// the p95 lies wholly above it.
    public struct Latency: Sendable, Equatable {
        public var defaultMaximumMs: Double
        public var perTool: [String: Double]
        public var severity: AlertSeverity
        public var windowDays: Int
        public func maximum(for tool: String) -> Double { perTool[tool] ?? defaultMaximumMs }
    }
    /// Which stored anomalies become alerts: those at or above `minimumSeverity` whose episode
    /// ended within the window.
    public struct Anomalies: Sendable, Equatable {
        public var minimumSeverity: AlertSeverity
        public var windowDays: Int
    }

    public var toolSuccessRate: ToolSuccess?
    public var p95Latency: Latency?
    public var satisfaction: MinimumThreshold?
    public var learningApplicationRate: MinimumThreshold?
    public var anomalies: Anomalies?

    /// The thresholds used without `--config` (also in examples/alerts.yaml and the README):
    /// tool success ≥ 0.90 (high, 7 days), p95 ≤ 5000 ms (medium, 7 days), mean rating ≥ 3.5
    /// (medium, 14 days), learning applied share ≥ 0.30 (low, 30 days), anomalies of medium
    /// severity or more that ended in the last 7 days.
    public static let defaults = AlertConfig(
        toolSuccessRate: ToolSuccess(defaultMinimum: 0.90, perTool: [:], severity: .high, windowDays: 7),
        p95Latency: Latency(defaultMaximumMs: 5000, perTool: [:], severity: .medium, windowDays: 7),
        satisfaction: MinimumThreshold(minimum: 3.5, severity: .medium, windowDays: 14),
        learningApplicationRate: MinimumThreshold(minimum: 0.30, severity: .low, windowDays: 30),
        anomalies: Anomalies(minimumSeverity: .medium, windowDays: 7))
}

/// A config file refused: the line (1-based, when known) and the reason.
public struct AlertConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var reason: String
    public var file: String?
    public init(line: Int?, _ reason: String, file: String? = nil) { self.line = line; self.reason = reason; self.file = file }
    public var description: String {
        let place = [file, line.map { "line \($0)" }].compactMap { $0 }.joined(separator: ", ")
        return "alerts config" + (place.isEmpty ? "" : " (\(place))") + ": " + reason
    }
}

extension AlertConfig {
    /// The alert kinds this config evaluates (ai_alerts.alert_kind values): only their recorded
    /// alerts can be resolved by a run with it.
    public var evaluatedKinds: Set<String> {
        var kinds: Set<String> = []
        if toolSuccessRate != nil { kinds.insert("tool_success_rate") }
        if p95Latency != nil { kinds.insert("p95_latency") }
        if satisfaction != nil { kinds.insert("satisfaction") }
        if learningApplicationRate != nil { kinds.insert("learning_application_rate") }
        if anomalies != nil { kinds.insert("anomaly") }
        return kinds
    }
}
