import Foundation
import Statistics
import Store

/// The outcomes a fairness report compares across groups, each with the SQL that reads one row
/// per event (group, cluster, covariates, outcome) and the task-mix covariates it adjusts for.
public struct FairnessOutcome: Sendable {
    public let name: String
    public let description: String
    public let kind: OutcomeDisparity.Kind
    /// Task-mix covariates (SQL column aliases of `query`).
    let covariates: [String]
    /// Rows of `grp, cluster, <covariates…>, y` for sessions started at or after `$1`.
    let query: @Sendable (FairnessGrouping) -> String
    /// Whether the grouping applies (language exists only on code generations).
    let accepts: @Sendable (FairnessGrouping) -> Bool

    static let cluster = "COALESCE(s.developer_id, 'session:' || s.session_id)"

    public static let all: [FairnessOutcome] = [
        FairnessOutcome(name: "success", description: "interactions reported successful", kind: .binary,
                        covariates: ["task_type", "interaction_type"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   i.interaction_type, i.success::int::float8 AS y
                              FROM ai_interactions i JOIN ai_sessions s USING (session_id)
                             WHERE i.success IS NOT NULL AND s.started_at >= $1
                            """ }, accepts: { $0.source != .language }),
        FairnessOutcome(name: "acceptance", description: "decided code generations accepted", kind: .binary,
                        covariates: ["task_type", "generation_type", "language"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   g.generation_type, COALESCE(g.language, '(none)') AS language, g.accepted::int::float8 AS y
                              FROM code_generation_events g JOIN ai_sessions s USING (session_id)
                             WHERE g.accepted IS NOT NULL AND s.started_at >= $1
                            """ }, accepts: { _ in true }),
        FairnessOutcome(name: "satisfaction", description: "session end rating, 1-5 stars", kind: .continuous,
                        covariates: ["task_type"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   s.end_rating::float8 AS y
                              FROM ai_sessions s
                             WHERE s.end_rating IS NOT NULL AND s.started_at >= $1
                            """ }, accepts: { $0.source != .language }),
        FairnessOutcome(name: "latency", description: "interaction response time, ms", kind: .continuous,
                        covariates: ["task_type", "interaction_type"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   i.interaction_type, i.response_time_ms AS y
                              FROM ai_interactions i JOIN ai_sessions s USING (session_id)
                             WHERE i.response_time_ms IS NOT NULL AND s.started_at >= $1
                            """ }, accepts: { $0.source != .language }),
        FairnessOutcome(name: "learning_applied", description: "learning events applied", kind: .binary,
                        covariates: ["task_type", "learning_type"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   l.learning_type, l.applied::int::float8 AS y
                              FROM learning_events l JOIN ai_sessions s USING (session_id)
                             WHERE s.started_at >= $1
                            """ }, accepts: { $0.source != .language }),
        FairnessOutcome(name: "learning_applied_successfully", description: "applied learning events that succeeded", kind: .binary,
                        covariates: ["task_type", "learning_type"],
                        query: { g in """
                            SELECT \(g.expression) AS grp, \(cluster) AS cluster, COALESCE(s.task_type, '(none)') AS task_type,
                                   l.learning_type, l.applied_successfully::int::float8 AS y
                              FROM learning_events l JOIN ai_sessions s USING (session_id)
                             WHERE l.applied AND l.applied_successfully IS NOT NULL AND s.started_at >= $1
                            """ }, accepts: { $0.source != .language }),
    ]

    /// Reads the rows and compares the groups; the grouping's own variable is not adjusted for.
    func compare(_ connection: Connection, grouping: FairnessGrouping, since: String) throws -> (OutcomeDisparity, rowsWithoutGroup: Int) {
        let result = try connection.execute(query(grouping), [.text(since)])
        let covariateNames = covariates.filter { $0 != grouping.name }
        let index = Dictionary(uniqueKeysWithValues: result.columnNames.enumerated().map { ($1, $0) })
        var groups: [String] = [], clusters: [String] = [], y: [Double] = []
        var covariateValues = [[String]](repeating: [], count: covariateNames.count)
        var withoutGroup = 0
        for row in result {
            guard let group = row.text(0) else { withoutGroup += 1; continue }
            guard let text = row.text(index["y"]!), let value = Double(text) else { continue }
            groups.append(group)
            clusters.append(row.text(1) ?? "")
            y.append(value)
            for (k, name) in covariateNames.enumerated() { covariateValues[k].append(row.text(index[name]!) ?? "(none)") }
        }
        let disparity = try OutcomeDisparity.compare(outcome: y, groups: groups, covariates: zip(covariateNames, covariateValues).map { ($0, $1) },
                                                     clusters: clusters, kind: kind)
        return (disparity, withoutGroup)
    }
}
