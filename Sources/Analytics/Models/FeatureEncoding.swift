import Statistics

/// One column of a model's design matrix and how to compute it from feature values.
///
/// - `level`: 1 when the categorical `feature` equals `level`, else 0.
/// - `numeric`: `(value(feature) − center) / scale`.
/// - `slope`: the `level` indicator of `feature` times `(value(numeric) − center) / scale`.
public struct DesignColumn: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case level, numeric, slope }
    /// The coefficient's name: `tool_name[bash]`, `log_lines`, `tool_name[run_tests]:ctx_diagnostics`.
    public let term: String
    public let kind: Kind
    public let feature: String
    public let level: String?
    public let numeric: String?
    public let center: Double
    public let scale: Double

    /// The feature whose contribution this column is counted under (the numeric for a slope).
    public var contributor: String { kind == .slope ? "\(feature):\(numeric ?? "")" : feature }
}

/// How a categorical feature was coded in training.
public struct CategoricalEncoding: Codable, Sendable, Equatable {
    public let feature: String
    /// The level every indicator is measured against (the most frequent in training).
    public let reference: String
    /// Every level seen in training with its row count, sorted by level.
    public let levels: [String]
    public let counts: [Int]
    /// Levels seen in training that have no column of their own (too rare, aliased or
    /// separated): they are scored at the reference level.
    public let scoredAtReference: [String]
}

/// A feature (or design term) the trainer left out, and why.
public struct DroppedTerm: Codable, Sendable, Equatable {
    public let term: String
    public let reason: String
}

/// Everything needed to turn feature values into a design row, without the training data.
public struct FeatureEncoding: Codable, Sendable, Equatable {
    /// Design columns in coefficient order (after the intercept).
    public let columns: [DesignColumn]
    public let categoricals: [CategoricalEncoding]
    /// Features the design reads (after drops), sorted.
    public let usedFeatures: [String]
    /// Features and terms left out, each with its reason.
    public let dropped: [DroppedTerm]

    /// The categorical coding of `feature`, if it is a used categorical.
    public func categorical(_ feature: String) -> CategoricalEncoding? {
        categoricals.first { $0.feature == feature }
    }
}

/// Feature values of one case: text for categorical features, numbers for numeric ones.
public struct FeatureValues: Sendable, Equatable {
    public var text: [String: String]
    public var numbers: [String: Double]
    public init(text: [String: String] = [:], numbers: [String: Double] = [:]) {
        self.text = text
        self.numbers = numbers
    }
}

extension FeatureEncoding {
    /// The level a categorical value is scored as: itself when it has its own column (or is
    /// the reference), else the reference (a level unseen in training, or one without a column).
    public func effectiveLevel(_ feature: String, _ value: String?) -> String? {
        guard let c = categorical(feature), let value else { return value }
        return c.levels.contains(value) && !c.scoredAtReference.contains(value) ? value : c.reference
    }

    /// The design row of one case (without the intercept), and the categorical values that were
    /// never seen in training (scored at the reference level).
    /// - Throws: ``ModelsError/Code/badInput`` naming a used feature that has no value.
    public func designRow(_ values: FeatureValues, features: [FeatureSpec]) throws -> (row: [Double], unseen: [String]) {
        var unseen: [String] = []
        for c in categoricals {
            guard let v = values.text[c.feature] else {
                throw ModelsError(.badInput, "feature '\(c.feature)' is missing; give it as text (a level such as '\(c.reference)')")
            }
            if !c.levels.contains(v) { unseen.append("\(c.feature)=\(v)") }
        }
        for f in usedFeatures where features.first(where: { $0.name == f })?.isNumeric ?? false {
            guard let x = values.numbers[f] else {
                throw ModelsError(.badInput, "feature '\(f)' is missing; give it as a number")
            }
            guard x.isFinite else { throw ModelsError(.badInput, "feature '\(f)' must be a finite number; got \(x)") }
        }
        let row = columns.map { c -> Double in
            switch c.kind {
            case .level: return effectiveLevel(c.feature, values.text[c.feature]) == c.level ? 1 : 0
            case .numeric: return ((values.numbers[c.feature] ?? 0) - c.center) / c.scale
            case .slope:
                guard effectiveLevel(c.feature, values.text[c.feature]) == c.level else { return 0 }
                return ((values.numbers[c.numeric ?? ""] ?? 0) - c.center) / c.scale
            }
        }
        return (row, unseen)
    }
}
