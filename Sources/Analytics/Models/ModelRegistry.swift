import Foundation
import Primitives
import Store

/// One registered version as `ail models list` shows it (read from the index columns only).
public struct VersionSummary: Codable, Sendable, Equatable {
    public let model: String
    public let version: Int
    public let kind: String
    public let createdAt: String
    public let trainingRows: Int
    public let evaluationRows: Int
    public let evaluationStart: String
    public let evaluationEnd: String
    public let primaryMetric: String
    public let primaryValue: Double
    public let baselineValue: Double?
    public let queryChecksum: String
    public let engineVersion: String
    public let isChampion: Bool
    public let promotionNote: String?

    enum CodingKeys: String, CodingKey {
        case model, version, kind, createdAt = "created_at", trainingRows = "training_rows", evaluationRows = "evaluation_rows"
        case evaluationStart = "evaluation_start", evaluationEnd = "evaluation_end", primaryMetric = "primary_metric"
        case primaryValue = "primary_value", baselineValue = "baseline_value", queryChecksum = "query_checksum"
        case engineVersion = "engine_version", isChampion = "is_champion", promotionNote = "promotion_note"
    }
}

/// Whether a newly registered version became champion, and why.
public struct PromotionDecision: Codable, Sendable, Equatable {
    public let promoted: Bool
    public let reason: String
}

/// The model registry: versions and aliases in PostgreSQL (migration 020), each version also
/// written to `<directory>/<model>/<version>.json` when a directory is given.
///
/// The champion alias moves together with the SQL functions `ail_predict_<model>` in one
/// transaction, so a reader never sees a champion whose function is another version's.
public struct ModelRegistry {
    public let connection: Connection
    /// Where the file form is written (`models/`), nil for the database only.
    public let directory: URL?

    public init(connection: Connection, directory: URL?) {
        self.connection = connection
        self.directory = directory
    }

    /// The alias `ail models promote` moves and scoring reads.
    public static let champion = "champion"

    /// Stores `artifact` as the model's next version (and its file); returns it with its version.
    public func register(_ artifact: ModelArtifact, note: String? = nil) throws -> ModelArtifact {
        var a = artifact
        return try connection.transaction {
            try connection.execute("SELECT pg_advisory_xact_lock(hashtext('ail_model_versions:' || $1))", [.text(a.model)])
            let next = try connection.execute("SELECT coalesce(max(version), 0) + 1 FROM ail_model_versions WHERE model_name = $1",
                                              [.text(a.model)]).first?.value(0, as: Int.self) ?? 1
            a.version = String(next)
            let json = String(decoding: try a.jsonData(), as: UTF8.self)
            let (metric, value) = a.primaryMetric
            let baseline = a.kind == .logistic ? a.evaluation.baselineLogLoss : a.evaluation.baselineRMSE
            try connection.execute("""
                INSERT INTO ail_model_versions (model_name, version, kind, training_rows, evaluation_rows, window_start,
                    evaluation_start, evaluation_end, primary_metric, primary_value, baseline_value, query_checksum,
                    engine_version, promotion_note, artifact)
                VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7::timestamptz, $8::timestamptz, $9, $10, $11, $12, $13, $14, $15::jsonb)
                """, [.text(a.model), .int(next), .text(a.kind.rawValue), .int(a.rows.training), .int(a.rows.evaluation),
                      .text(a.window.trainStart), .text(a.window.evaluationStart), .text(a.window.evaluationEnd),
                      .text(metric), .double(value), SQLValue(baseline), .text(a.queryChecksum), .text(a.engineVersion),
                      SQLValue(note), .text(json)])
            try writeFile(a)
            return a
        }
    }

    /// Records why a version was or was not promoted.
    public func setNote(model: String, version: Int, note: String) throws {
        try connection.execute("UPDATE ail_model_versions SET promotion_note = $3 WHERE model_name = $1 AND version = $2",
                               [.text(model), .int(version), .text(note)])
    }

    /// Writes `<directory>/<model>/<version>.json`.
    public func writeFile(_ a: ModelArtifact) throws {
        guard let directory else { return }
        let folder = directory.appendingPathComponent(a.model, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try a.jsonData().write(to: folder.appendingPathComponent("\(a.version).json"), options: .atomic)
    }

    /// Every version of every model (or of `model`), newest first within a model, from the index columns.
    public func list(model: String? = nil) throws -> [VersionSummary] {
        let rows = try connection.execute("""
            SELECT v.model_name, v.version, v.kind, to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   v.training_rows, v.evaluation_rows,
                   to_char(v.evaluation_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   to_char(v.evaluation_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   v.primary_metric, v.primary_value, v.baseline_value, v.query_checksum, v.engine_version,
                   a.version IS NOT NULL, v.promotion_note
              FROM ail_model_versions v
              LEFT JOIN ail_model_aliases a ON a.model_name = v.model_name AND a.alias = 'champion' AND a.version = v.version
             WHERE $1::text IS NULL OR v.model_name = $1
             ORDER BY v.model_name, v.version DESC
            """, [SQLValue(model)])
        return try rows.map { r in
            VersionSummary(model: try r.value(0) ?? "", version: try r.value(1) ?? 0, kind: try r.value(2) ?? "",
                           createdAt: try r.value(3) ?? "", trainingRows: try r.value(4) ?? 0, evaluationRows: try r.value(5) ?? 0,
                           evaluationStart: try r.value(6) ?? "", evaluationEnd: try r.value(7) ?? "",
                           primaryMetric: try r.value(8) ?? "", primaryValue: try r.value(9) ?? .nan, baselineValue: try r.value(10),
                           queryChecksum: try r.value(11) ?? "", engineVersion: try r.value(12) ?? "",
                           isChampion: try r.value(13) ?? false, promotionNote: try r.value(14))
        }
    }

    /// The champion's version number, nil when the model has none.
    public func championVersion(_ model: String) throws -> Int? {
        try connection.execute("SELECT version FROM ail_model_aliases WHERE model_name = $1 AND alias = 'champion'",
                               [.text(model)]).first?.value(0, as: Int.self)
    }

    /// The artifact of `version`, or of the champion when `version` is nil.
    /// - Throws: ``ModelsError/Code/unknownModel`` naming what exists.
    public func artifact(_ model: String, version: Int? = nil) throws -> ModelArtifact {
        guard let v = try version ?? championVersion(model) else {
            let known = try list(model: model).map { String($0.version) }
            throw ModelsError(.unknownModel, known.isEmpty ? "no version of model '\(model)' is registered; train one with: ail train \(model)"
                                                         : "model '\(model)' has no champion; promote one of versions \(known.joined(separator: ", "))")
        }
        guard let text = try connection.execute("SELECT artifact::text FROM ail_model_versions WHERE model_name = $1 AND version = $2",
                                                [.text(model), .int(v)]).first?.value(0, as: String.self) else {
            let known = try list(model: model).map { String($0.version) }
            throw ModelsError(.unknownModel, "model '\(model)' has no version \(v); its versions: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        return try ModelArtifact.decode(Data(text.utf8))
    }

    /// The champion of `model`, nil when it has none: what other parts of ail score with.
    public func champion(_ model: String) throws -> ModelArtifact? {
        guard try championVersion(model) != nil else { return nil }
        return try artifact(model)
    }

    /// Moves the champion alias to `version` and installs its SQL functions, in one transaction.
    public func promote(_ model: String, version: Int) throws {
        let a = try artifact(model, version: version)
        try connection.transaction {
            try connection.execute("""
                INSERT INTO ail_model_aliases (model_name, alias, version) VALUES ($1, 'champion', $2)
                ON CONFLICT (model_name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
                """, [.text(model), .int(version)])
            for statement in try SQLScoringFunction.installStatements(a) { try connection.executeScript(statement) }
        }
    }

    /// Registers an artifact file (`ail models import`) as the model's next version; it becomes
    /// champion only through `promote`.
    public func importFile(_ url: URL) throws -> ModelArtifact {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelsError(.badArtifact, "cannot read \(url.path): \(FileManager.default.fileExists(atPath: url.path) ? "not readable" : "no such file")")
        }
        let a = try ModelArtifact.decode(data)
        _ = try ModelCatalog.spec(named: a.model)
        return try register(a, note: "imported from \(url.lastPathComponent) (was version \(a.version))")
    }
}
