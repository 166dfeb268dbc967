import Foundation
import Store

/// Records alerts in `ai_alerts` with their lifecycle (migration 025). An alert is identified by
/// its kind, subject and, for anomalies, the anomaly row; each identity has one row:
/// - firing and recorded: updated in place (raised_at, severity, numbers, message, evidence) and,
///   if it had been resolved, re-opened (status active, resolved_at cleared);
/// - firing and new: inserted, active;
/// - recorded as active, of a kind this run evaluated, and no longer firing: resolved (status
///   resolved, resolved_at now). Kinds the run did not evaluate (not in its config) are left
///   alone: a run that did not look cannot say the condition is gone.
public struct AlertStore {
    public let connection: Connection
    public init(connection: Connection) { self.connection = connection }

    /// What one run did to `ai_alerts`.
    public struct Recording: Sendable, Equatable {
        public var inserted = 0
        public var updated = 0
        /// Of `updated`, the alerts that had been resolved and fire again.
        public var reopened = 0
        /// The alerts this run resolved.
        public var resolved: [ResolvedAlert] = []
    }

    /// An alert no longer firing, as stored.
    public struct ResolvedAlert: Sendable, Equatable {
        public var id: Int
        public var kind: String
        public var subject: String
        public var severity: String
        public var message: String
        /// When it last fired and when it was resolved (PostgreSQL's text form).
        public var raisedAt: String
        public var resolvedAt: String
    }

    /// Writes `alerts` (the ones firing now) and resolves the active rows of the kinds in
    /// `evaluatedKinds` that are not among them (nil: resolve nothing).
    @discardableResult
    public func record(_ alerts: [Alert], evaluatedKinds: Set<String>? = nil) throws -> Recording {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try connection.transaction {
            // one writer at a time, so two concurrent runs cannot both insert the same alert
            _ = try connection.execute("SELECT pg_advisory_xact_lock(hashtext('ail alerts'))")
            var out = Recording()
            var firing: [Int] = []
            for alert in alerts {
                let evidence = String(decoding: try encoder.encode(alert.evidence), as: UTF8.self)
                let anomaly: SQLValue = alert.evidence["anomaly_id"].map { .text("\($0)") } ?? .null
                let existing = try connection.execute("""
                    SELECT id, status FROM ai_alerts WHERE alert_kind = $1 AND subject = $2
                       AND (evidence->>'anomaly_id') IS NOT DISTINCT FROM $3::text ORDER BY raised_at DESC, id DESC LIMIT 1
                    """, [.text(alert.kind), .text(alert.subject), anomaly]).first
                let values: [SQLValue] = [.text(alert.kind), .text(alert.subject), .text(alert.severity.rawValue), .double(alert.observed),
                                          alert.threshold.map { .double($0) } ?? .null, .text(alert.message), .json(evidence)]
                if let row = existing, let id = try row.value(0, as: Int.self) {
                    _ = try connection.execute("""
                        UPDATE ai_alerts SET raised_at = now(), severity = $1, observed = $2, threshold = $3, message = $4, evidence = $5::jsonb,
                               status = 'active', resolved_at = NULL
                         WHERE id = $6
                        """, Array(values.dropFirst(2)) + [.int(id)])
                    out.updated += 1
                    if row.text(1) == "resolved" { out.reopened += 1 }
                    firing.append(id)
                } else {
                    let id = try connection.execute("""
                        INSERT INTO ai_alerts (alert_kind, subject, severity, observed, threshold, message, evidence, status)
                        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'active') RETURNING id
                        """, values).first?.value(0, as: Int.self)
                    out.inserted += 1
                    if let id { firing.append(id) }
                }
            }
            if let kinds = evaluatedKinds, !kinds.isEmpty {
                out.resolved = try connection.execute("""
                    UPDATE ai_alerts SET status = 'resolved', resolved_at = now()
                     WHERE status = 'active' AND alert_kind = ANY($1::text[]) AND NOT (id = ANY($2::int8[]))
                    RETURNING id, alert_kind, subject, severity, message, raised_at::text, resolved_at::text
                    """, [.textArray(kinds.sorted()), .text("{" + firing.map(String.init).joined(separator: ",") + "}")])
                    .compactMap(Self.resolved).sorted { $0.id < $1.id }
            }
            return out
        }
    }

    /// Alerts resolved within the last `days` days (by resolved_at), most recent first.
    public func recentlyResolved(days: Int) throws -> [ResolvedAlert] {
        try connection.execute("""
            SELECT id, alert_kind, subject, severity, message, raised_at::text, resolved_at::text FROM ai_alerts
             WHERE status = 'resolved' AND resolved_at > now() - make_interval(days => $1)
             ORDER BY resolved_at DESC, id DESC
            """, [.int(days)]).compactMap(Self.resolved)
    }

    static func resolved(_ row: Store.Row) throws -> ResolvedAlert? {
        guard let id = try row.value(0, as: Int.self) else { return nil }
        return ResolvedAlert(id: id, kind: row.text(1) ?? "", subject: row.text(2) ?? "", severity: row.text(3) ?? "",
                             message: row.text(4) ?? "", raisedAt: row.text(5) ?? "", resolvedAt: row.text(6) ?? "")
    }
}
