import Statistics
import Store

/// One group of `ail train MODEL --by COLUMN`: its fitted version, or why it has none.
public struct GroupOutcome: Sendable {
    public let group: String
    public let rows: Int
    public let artifact: ModelArtifact?
    public let reason: String?
}

/// One model per group (MADlib's `grouping_cols`): the feature query is read once, split by the
/// value of `column`, and each group is trained exactly as if its rows were the only data (its
/// own time split, encoding and clusters). A group that cannot be fitted is listed with the reason.
public enum GroupedTraining {
    public static func train(_ spec: ModelSpec, by column: String, connection: Connection,
                             options: TrainingOptions = TrainingOptions()) throws -> [GroupOutcome] {
        let frame = try PostgresFrame.read(connection, query: ModelTrainer.windowedQuery(spec.query, since: options.since, until: options.until),
                                           only: spec.columns.union([column]))
        let table = try FeatureTable(frame: frame, spec: spec)
        let key = try frame.column(named: column)
        var groups: [String: [Int]] = [:]
        for r in 0..<frame.rowCount { groups[key.text(at: r) ?? "(missing)", default: []].append(r) }
        return groups.keys.sorted().map { g in
            let rows = groups[g]!
            do {
                let a = try ModelTrainer.train(spec, table: table.subset(rows), options: options,
                                               group: "\(column)=\(g)")
                return GroupOutcome(group: g, rows: rows.count, artifact: a, reason: nil)
            } catch let e as ModelsError {
                return GroupOutcome(group: g, rows: rows.count, artifact: nil, reason: e.message)
            } catch let e as NumericsError {
                return GroupOutcome(group: g, rows: rows.count, artifact: nil, reason: "\(e.code): \(e.message)")
            } catch {
                return GroupOutcome(group: g, rows: rows.count, artifact: nil, reason: "\(error)")
            }
        }
    }
}

extension FeatureTable {
    /// The table of `rows` only, in that order.
    public func subset(_ rows: [Int]) -> FeatureTable {
        FeatureTable(rowCount: rows.count, rowKeys: rows.map { rowKeys[$0] }, times: rows.map { times[$0] },
                     developers: rows.map { developers[$0] }, sessions: rows.map { sessions[$0] },
                     response: rows.map { response[$0] },
                     categorical: categorical.mapValues { c in Codes(codes: rows.map { c.codes[$0] }, levels: c.levels) },
                     numeric: numeric.mapValues { xs in rows.map { xs[$0] } })
    }
}
