import Foundation

/// Which regression a model is: a classifier (logistic, the score is a probability) or a
/// linear model (the score is the expected response).
public enum ModelKind: String, Codable, Sendable {
    case logistic, linear
}

/// One input of a model, as its feature query returns it.
public struct FeatureSpec: Codable, Sendable, Equatable {
    /// How a feature enters the design.
    public enum Role: String, Codable, Sendable {
        /// Text levels, one indicator column per non-reference level.
        case categorical
        /// A number used as it is (0/1 indicators, counts): centre 0, scale 1.
        case indicator
        /// A continuous number, centred on its training mean and divided by its training SD.
        case continuous
    }
    public let name: String
    public let role: Role
    /// What the value means, printed by `ail models show`.
    public let meaning: String

    public init(_ name: String, _ role: Role, _ meaning: String) {
        self.name = name
        self.role = role
        self.meaning = meaning
    }

    /// Numeric roles (indicator, continuous) read a number; categorical reads text.
    public var isNumeric: Bool { role != .categorical }
}

/// A nested interaction: a separate slope of `numeric` within each level of `categorical`
/// (R's `C(tool):ctx` without the main effect of ctx), so each level's effect is one coefficient.
public struct InteractionSpec: Codable, Sendable, Equatable {
    public let categorical: String
    public let numeric: String
    public init(_ categorical: String, _ numeric: String) {
        self.categorical = categorical
        self.numeric = numeric
    }
}

/// A prediction model: its response, its features and the one SQL query that computes them.
///
/// Every feature query returns the columns `row_key` (text: the scored row's event id, or the
/// session id for session-level models), `occurred_at` (timestamptz: orders the time split),
/// `developer_id` and `session_id` (text: the clusters), the response column and the features.
public struct ModelSpec: Sendable {
    public let name: String
    public let kind: ModelKind
    /// The response column of the query (0/1 for logistic models).
    public let response: String
    public let features: [FeatureSpec]
    public let interactions: [InteractionSpec]
    /// What one row is (`tool call`, `session`), for reports.
    public let rowMeaning: String
    public let summary: String
    /// The feature query (read-only SQL).
    public let query: String

    public init(name: String, kind: ModelKind, response: String, features: [FeatureSpec],
                interactions: [InteractionSpec] = [], rowMeaning: String, summary: String, query: String) {
        self.name = name
        self.kind = kind
        self.response = response
        self.features = features
        self.interactions = interactions
        self.rowMeaning = rowMeaning
        self.summary = summary
        self.query = query
    }

    /// The columns the trainer reads from the query.
    public var columns: Set<String> {
        Set(["row_key", "occurred_at", "developer_id", "session_id", response] + features.map(\.name))
    }

    /// SHA-256 of the query text, hex: stored with each version so a change of query is visible.
    public var queryChecksum: String { Checksum.sha256Hex(query) }
}
