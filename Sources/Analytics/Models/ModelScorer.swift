import Foundation
import Statistics

/// One feature's share of a linear predictor: Σ βⱼ·xⱼ over the feature's design columns.
public struct Contribution: Codable, Sendable, Equatable {
    public let feature: String
    public let value: Double
}

/// A scored case: the prediction, its interval, and why.
public struct Prediction: Codable, Sendable, Equatable {
    /// Probability (logistic) or expected response (linear).
    public let value: Double
    /// `η = β₀ + Σ βⱼxⱼ`.
    public let linearPredictor: Double
    /// Delta-method standard error of η: `√(x̃ᵀ V x̃)`, x̃ = (1, x).
    public let standardError: Double
    /// 95% interval: `g(η ± c·se)` with g the inverse link.
    public let confLow: Double
    public let confHigh: Double
    /// Features by |contribution|, largest first (reference levels and zero terms omitted).
    public let contributions: [Contribution]
    /// `feature=value` pairs never seen in training: scored at the reference level.
    public let unseenLevels: [String]
}

extension ModelArtifact {
    /// `β₀ + β₁x₁ + … + βₖxₖ`, summed left to right — the order the SQL function uses.
    @inline(__always)
    public func linearPredictor(_ row: [Double]) -> Double {
        var eta = coefficients[0].estimate
        for j in 0..<row.count { eta += coefficients[j + 1].estimate * row[j] }
        return eta
    }

    /// The inverse link: `1 / (1 + exp(−η))` for logistic models, η for linear ones (the SQL
    /// function writes the same expression).
    @inline(__always)
    public func response(_ eta: Double) -> Double {
        kind == .logistic ? 1 / (1 + exp(-eta)) : eta
    }

    /// Scores one case given by its feature values.
    /// - Throws: ``ModelsError/Code/badInput`` naming a used feature without a value.
    public func predict(_ values: FeatureValues) throws -> Prediction {
        let (row, unseen) = try encoding.designRow(values, features: features)
        let eta = linearPredictor(row)
        let x = [1.0] + row
        var v = 0.0
        for i in 0..<x.count where x[i] != 0 {
            for j in 0..<x.count where x[j] != 0 { v += x[i] * covariance[i][j] * x[j] }
        }
        let se = max(v, 0).squareRoot()
        var byFeature: [String: Double] = [:]
        for (j, c) in encoding.columns.enumerated() where row[j] != 0 {
            byFeature[c.contributor, default: 0] += coefficients[j + 1].estimate * row[j]
        }
        let contributions = byFeature.map { Contribution(feature: $0.key, value: $0.value) }
            .sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.feature < $1.feature }
        return Prediction(value: response(eta), linearPredictor: eta, standardError: se,
                          confLow: response(eta - criticalValue * se), confHigh: response(eta + criticalValue * se),
                          contributions: contributions, unseenLevels: unseen)
    }

    /// Scores every row of `frame`, a frame with a column per feature of the model (other
    /// columns are ignored): the value, or nil where a feature the version uses is missing.
    /// The entry point for other parts of ail (load a champion with ``ModelRegistry/champion(_:)``).
    public func score(frame: DataFrame) throws -> [Double?] {
        let table = try FeatureTable(frame: frame, spec: spec, requireResponse: false)
        let rows = (0..<table.rowCount).filter { table.isComplete($0, for: encoding) }
        var out = [Double?](repeating: nil, count: table.rowCount)
        for (i, v) in zip(rows, score(table, rows: rows)) { out[i] = v }
        return out
    }

    /// Scores `rows` of a feature table (rows must be complete for the encoding); the same
    /// arithmetic as ``predict(_:)``, so every row equals its single-case score bit for bit.
    public func score(_ table: FeatureTable, rows: [Int]) -> [Double] {
        let x = table.design(encoding, rows: rows)
        let n = rows.count, p = encoding.columns.count
        var out = [Double](repeating: 0, count: n)
        x.storage.withUnsafeBufferPointer { s in
            for i in 0..<n {
                var eta = coefficients[0].estimate
                for j in 0..<p { eta += coefficients[j + 1].estimate * s[i + j * n] }
                out[i] = response(eta)
            }
        }
        return out
    }
}
