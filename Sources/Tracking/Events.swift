import Foundation
import Primitives

/// The kinds of event the engine records; the raw value is the `type` field of the ingest format.
public enum EventType: String, CaseIterable, Sendable, Codable {
    case sessionStart = "session_start"
    case interaction
    case toolUsage = "tool_usage"
    case codeGeneration = "code_generation"
    case feedback
    case context
    case learning
    case sessionEnd = "session_end"
}

/// `ai_interactions.interaction_type`.
public enum InteractionType: String, CaseIterable, Sendable, Codable {
    case userQuery = "user_query", toolCall = "tool_call", codeGeneration = "code_generation", validation
}

/// `code_generation_events.generation_type`.
public enum GenerationType: String, CaseIterable, Sendable, Codable {
    case function, `class`, test, migration, config, other
}

/// `context_awareness_events.context_type`.
public enum ContextType: String, CaseIterable, Sendable, Codable {
    case openFiles = "open_files", gitStatus = "git_status", recentChanges = "recent_changes", diagnostics, other
}

/// An instant as written by the client (RFC 3339) together with its value.
public struct Timestamp: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Double
    /// RFC 3339 text (the client's own text, or the canonical UTC form).
    public var text: String

    public init(secondsSince1970: Double, text: String) {
        self.secondsSince1970 = secondsSince1970
        self.text = text
    }

    public init(_ date: Date) {
        self.secondsSince1970 = date.timeIntervalSince1970
        self.text = TimestampText.format(secondsSince1970: date.timeIntervalSince1970)
    }

    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }
    public var description: String { text }
    /// The instant in microseconds since 1970 as PostgreSQL stores it (rounded from the text).
    public var microseconds: Int64 {
        TimestampText.microseconds(text, form: .rfc3339) ?? Int64((secondsSince1970 * 1_000_000).rounded(.toNearestOrEven))
    }
}

/// JSON text destined for a `jsonb` column.
public struct JSONText: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

public struct SessionStart: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    /// The developer's name as given by the client; pseudonymised before storage.
    public var developer: String?
    public var startedAt: Timestamp
    public var taskType: String?
    public var context: JSONText?
    public var tags: [String]?
}

public struct Interaction: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var interactionType: InteractionType
    public var model: String?
    /// Whether the interaction succeeded; nil when not reported (stored as NULL, never as false).
    public var success: Bool?
    public var responseTimeMs: Double?
    public var tokensIn: Int?
    public var tokensOut: Int?
    public var errorType: String?
    public var errorMessage: String?
    public var contextTags: [String]?
}

public struct ToolUsage: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var toolName: String
    public var success: Bool
    public var executionTimeMs: Double?
    public var errorType: String?
    public var errorMessage: String?
    public var parameters: JSONText?
}

public struct CodeGeneration: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var generationID: String
    public var filePath: String?
    public var generationType: GenerationType
    public var language: String?
    public var linesGenerated: Int?
    public var complexity: Double?
    /// `nil` while the developer has not decided.
    public var accepted: Bool?
    public var timeToDecisionMs: Double?
    public var linesModified: Int?
}

public struct Feedback: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var rating: Int
    public var text: String?
    public var contextTags: [String]?
}

public struct ContextEvent: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var contextType: ContextType
    public var data: JSONText
    public var relevanceScore: Double?
}

public struct LearningEvent: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var occurredAt: Timestamp
    public var learningType: String
    public var description: String?
    public var confidenceScore: Double
    public var applied: Bool
    public var appliedSuccessfully: Bool?
}

public struct SessionEnd: Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var endedAt: Timestamp
    public var rating: Int?
    public var text: String?
    public var tags: [String]?
}

/// One validated event of the ingest format.
public enum TrackingEvent: Sendable, Equatable {
    case sessionStart(SessionStart)
    case interaction(Interaction)
    case toolUsage(ToolUsage)
    case codeGeneration(CodeGeneration)
    case feedback(Feedback)
    case context(ContextEvent)
    case learning(LearningEvent)
    case sessionEnd(SessionEnd)

    public var type: EventType {
        switch self {
        case .sessionStart: return .sessionStart
        case .interaction: return .interaction
        case .toolUsage: return .toolUsage
        case .codeGeneration: return .codeGeneration
        case .feedback: return .feedback
        case .context: return .context
        case .learning: return .learning
        case .sessionEnd: return .sessionEnd
        }
    }

    public var eventID: UUID {
        switch self {
        case .sessionStart(let e): return e.eventID
        case .interaction(let e): return e.eventID
        case .toolUsage(let e): return e.eventID
        case .codeGeneration(let e): return e.eventID
        case .feedback(let e): return e.eventID
        case .context(let e): return e.eventID
        case .learning(let e): return e.eventID
        case .sessionEnd(let e): return e.eventID
        }
    }

    public var sessionID: String {
        switch self {
        case .sessionStart(let e): return e.sessionID
        case .interaction(let e): return e.sessionID
        case .toolUsage(let e): return e.sessionID
        case .codeGeneration(let e): return e.sessionID
        case .feedback(let e): return e.sessionID
        case .context(let e): return e.sessionID
        case .learning(let e): return e.sessionID
        case .sessionEnd(let e): return e.sessionID
        }
    }
}
