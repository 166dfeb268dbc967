import Foundation
import Store

/// Records active alerts in `ai_alerts`. An alert already recorded (same kind, subject and, for
/// anomalies, the same anomaly row) is updated in place — raised_at, severity, numbers, message,
/// evidence — so re-running `ail alerts` never duplicates it.
public struct AlertStore {
    public let connection: Connection
    public init(connection: Connection) { self.connection = connection }

    /// Writes `alerts`; returns how many rows were inserted and how many updated.
    @discardableResult
    public func record(_ alerts: [Alert]) throws -> (inserted: Int, updated: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try connection.transaction {
            // one writer at a time, so two concurrent runs cannot both insert the same alert
            _ = try connection.execute("SELECT pg_advisory_xact_lock(hashtext('ail alerts'))")
            var inserted = 0, updated = 0
            for alert in alerts {
                let evidence = String(decoding: try encoder.encode(alert.evidence), as: UTF8.self)
                let anomaly: SQLValue = alert.evidence["anomaly_id"].map { .text("\($0)") } ?? .null
                let params: [SQLValue] = [.text(alert.kind), .text(alert.subject), .text(alert.severity.rawValue), .double(alert.observed),
                                          alert.threshold.map { .double($0) } ?? .null, .text(alert.message), .json(evidence), anomaly]
                let hit = try connection.execute("""
                    UPDATE ai_alerts SET raised_at = now(), severity = $3, observed = $4, threshold = $5, message = $6, evidence = $7::jsonb
                     WHERE id = (SELECT id FROM ai_alerts WHERE alert_kind = $1 AND subject = $2
                                   AND (evidence->>'anomaly_id') IS NOT DISTINCT FROM $8::text ORDER BY raised_at DESC LIMIT 1)
                    RETURNING id
                    """, params)
                if hit.first != nil { updated += 1; continue }
                _ = try connection.execute("""
                    INSERT INTO ai_alerts (alert_kind, subject, severity, observed, threshold, message, evidence)
                    SELECT $1, $2, $3, $4, $5, $6, $7::jsonb WHERE $8::text IS NOT DISTINCT FROM $8::text
                    """, params)
                inserted += 1
            }
            return (inserted, updated)
        }
    }
}
