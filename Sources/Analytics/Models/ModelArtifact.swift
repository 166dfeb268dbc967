import Foundation
import Statistics

/// The data window a version was trained and evaluated on (UTC, RFC 3339 text).
public struct DataWindow: Codable, Sendable, Equatable {
    /// First row of the training part.
    public let trainStart: String
    /// Start of the evaluation part (exclusive end of training).
    public let evaluationStart: String
    /// Last row of the evaluation part (inclusive).
    public let evaluationEnd: String
    /// The same bounds as microseconds since 1970.
    public let trainStartMicros: Int64
    public let evaluationStartMicros: Int64
    public let evaluationEndMicros: Int64
}

/// Row counts at each step from query to fit.
public struct RowCounts: Codable, Sendable, Equatable {
    /// Rows the feature query returned.
    public let queried: Int
    /// Rows without a response (or a time): left out of training and evaluation.
    public let responseMissing: Int
    /// Training rows missing a kept feature (left out).
    public let trainingIncomplete: Int
    public let training: Int
    /// Evaluation rows missing a kept feature (left out).
    public let evaluationIncomplete: Int
    public let evaluation: Int
    /// Evaluation rows with a categorical level never seen in training (scored at the reference).
    public let evaluationUnseenLevel: Int
}

/// One coefficient with its inference (broom's names in the file: `std_error`, `p_value`, …).
public struct Coefficient: Codable, Sendable, Equatable {
    public let term: String
    public let estimate: Double
    public let stdError: Double
    /// z (logistic) or t (linear).
    public let statistic: Double
    public let pValue: Double
    public let confLow: Double
    public let confHigh: Double

    init(_ t: TermEstimate) {
        (term, estimate, stdError, statistic, pValue, confLow, confHigh) = (t.term, t.estimate, t.stdError, t.statistic, t.pValue, t.confLow, t.confHigh)
    }
}

/// A fitted model version: everything needed to score without the training data.
///
/// Written as `models/<model>/<version>.json` and stored as jsonb in `ail_model_versions`; the
/// format is documented in `models/README.md`.
public struct ModelArtifact: Codable, Sendable {
    /// The artifact format (1).
    public var format = 1
    public let model: String
    public var version: String
    public let kind: ModelKind
    public let summary: String
    public let response: String
    public let rowMeaning: String
    /// The `--by` group this version was fitted on (`task_type=bugfix`), nil for the whole data.
    public let group: String?
    public let features: [FeatureSpec]
    public let interactions: [InteractionSpec]
    public let encoding: FeatureEncoding
    /// `(Intercept)` first, then one per design column, with broom's names.
    public let coefficients: [Coefficient]
    /// Covariance of the coefficients (row-major, intercept first): the delta-method intervals.
    public let covariance: [[Double]]
    /// `cluster-robust (40 clusters) by developer_id` or `classical`.
    public let covarianceLabel: String
    /// The quantile that turns a standard error into the 95% interval (z, or t on the
    /// cluster-robust degrees of freedom for linear models).
    public let criticalValue: Double
    /// Residual SD of a linear model (on the training rows).
    public let residualStandardDeviation: Double?
    public let evaluation: ModelEvaluation
    public let window: DataWindow
    public let rows: RowCounts
    public let query: String
    public let queryChecksum: String
    public let engineVersion: String
    public let trainedAt: String

    /// The primary figure the champion rule compares: evaluation log-loss or RMSE (lower is better).
    public var primaryMetric: (name: String, value: Double) {
        kind == .logistic ? ("log_loss", evaluation.logLoss ?? .infinity) : ("rmse", evaluation.rmse ?? .infinity)
    }

    /// The JSON text of the file form: sorted keys, pretty, doubles in shortest round-trip form
    /// (so a decoded artifact scores bit for bit like the one that was written).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }

    /// Reads an artifact written by ``jsonData()``.
    /// - Throws: ``ModelsError/Code/badArtifact`` naming what is wrong.
    public static func decode(_ data: Data) throws -> ModelArtifact {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let a: ModelArtifact
        do { a = try decoder.decode(ModelArtifact.self, from: data) } catch let e as DecodingError {
            throw ModelsError(.badArtifact, "not a model artifact: \(describe(e))")
        }
        guard a.format == 1 else { throw ModelsError(.badArtifact, "artifact format \(a.format) is not supported (this ail reads format 1)") }
        let k = a.encoding.columns.count + 1
        guard a.coefficients.count == k, a.covariance.count == k, a.covariance.allSatisfy({ $0.count == k }) else {
            throw ModelsError(.badArtifact, "artifact \(a.model) \(a.version): \(a.coefficients.count) coefficients and a \(a.covariance.count)-row covariance for \(k) design terms")
        }
        return a
    }

    private static func describe(_ e: DecodingError) -> String {
        switch e {
        case .keyNotFound(let key, let ctx): return "missing field '\((ctx.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "field '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))': \(ctx.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
