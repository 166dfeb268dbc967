import Foundation

/// One active alert: a configured threshold crossed (with the interval that shows it) or a
/// stored anomaly at or above the configured severity. Written to `ai_alerts` by ``AlertStore``.
public struct Alert: Sendable, Equatable {
    /// `tool_success_rate`, `p95_latency`, `satisfaction`, `learning_application_rate` or `anomaly`
    /// (the values ai_alerts.alert_kind accepts).
    public var kind: String
    /// The tool, `all`, or for an anomaly `metric subject_kind=subject`.
    public var subject: String
    public var severity: AlertSeverity
    public var observed: Double
    /// The configured threshold (nil for anomalies).
    public var threshold: Double?
    /// One line a person can act on.
    public var message: String
    /// Counts, window, interval, p-values: stored as the row's jsonb evidence.
    public var evidence: [String: EvidenceValue]
    /// What makes two runs' alerts the same alert (kind, subject and for anomalies the row id).
    public var identity: String { kind + "\u{1F}" + subject + "\u{1F}" + (evidence["anomaly_id"].map { "\($0)" } ?? "") }
}

/// A number or a word in an alert's evidence.
public enum EvidenceValue: Sendable, Equatable, Encodable, CustomStringConvertible {
    case number(Double), text(String)
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): if x.isFinite { try c.encode(x) } else { try c.encodeNil() }
        case .text(let s): try c.encode(s)
        }
    }
    public var description: String {
        switch self {
        case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.4g", x)
        case .text(let s): s
        }
    }
}
