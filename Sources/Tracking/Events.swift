import Foundation

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
        self.text = RFC3339.format(secondsSince1970: date.timeIntervalSince1970)
    }

    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }
    public var description: String { text }
    /// The instant in microseconds since 1970 as PostgreSQL stores it (rounded from the text).
    public var microseconds: Int64 {
        RFC3339.microseconds(text) ?? Int64((secondsSince1970 * 1_000_000).rounded(.toNearestOrEven))
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

/// RFC 3339 timestamps: a strict parser and a canonical UTC formatter, both allocation-light.
public enum RFC3339 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/space for `T` and `z` are accepted.
    public static func parse(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let (seconds, fraction, _) = components(b) else { return nil }
        return Double(seconds) + fraction
    }

    /// Microseconds since 1970-01-01T00:00:00Z, rounded as PostgreSQL rounds a `timestamptz`
    /// (half to even beyond the sixth digit), or nil when `text` does not parse.
    public static func microseconds(_ text: String) -> Int64? {
        var copy = text
        return copy.withUTF8 { b -> Int64? in
            guard let (seconds, _, micro) = components(b) else { return nil }
            return Int64(seconds) * 1_000_000 + micro
        }
    }

    /// Largest zone offset PostgreSQL accepts, in hours (it refuses ±16:00 and beyond, SQLSTATE 22009).
    public static let maximumOffsetHours = 15

    /// Whole seconds since the epoch, the fraction as a double, and the fraction in microseconds
    /// (PostgreSQL's rounding).
    private static func components(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Double, Int64)? {
        let n = b.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            var v = 0
            for k in at..<(at + count) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
              let second = digits(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59, year >= 1 else { return nil }
        var i = 19
        var fraction = 0.0
        var micro: Int64 = 0
        if i < n, b[i] == 46 {
            i += 1
            var scale = 0.1
            let start = i
            var rest: Int64 = 0, restScale: Int64 = 1
            while i < n, b[i] >= 48, b[i] <= 57 {
                let d = Int64(b[i] - 48)
                fraction += Double(d) * scale
                scale /= 10
                if i - start < 6 { micro = micro * 10 + d } else { rest = rest * 10 + d; restScale *= 10 }
                i += 1
            }
            guard i > start, i - start <= 9 else { return nil }
            for _ in 0..<max(0, 6 - (i - start)) { micro *= 10 }
            // Beyond the sixth digit: round half to even, as PostgreSQL's rint does.
            if restScale > 1, rest * 2 > restScale || (rest * 2 == restScale && micro % 2 == 1) { micro += 1 }
        }
        guard i < n else { return nil }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard i + 6 == n, let oh = digits(i + 1, 2), b[i + 3] == 58, let om = digits(i + 4, 2),
                  oh <= maximumOffsetHours, om <= 59 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3600 + minute * 60 + second - offset, fraction, micro)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` in UTC from microseconds (the fraction only when not zero).
    public static func format(microseconds m: Int64) -> String {
        var seconds = m / 1_000_000, micro = m % 1_000_000
        if micro < 0 { micro += 1_000_000; seconds -= 1 }
        var text = String(format(secondsSince1970: Double(seconds)).dropLast(5))
        if micro != 0 {
            let digits = String(micro)
            text += "." + String(repeating: "0", count: 6 - digits.count) + digits
        }
        return text + "Z"
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC.
    public static func format(secondsSince1970 t: Double) -> String {
        let totalMs = Int((t * 1000).rounded(.down))
        var days = totalMs / 86_400_000
        var msOfDay = totalMs % 86_400_000
        if msOfDay < 0 { msOfDay += 86_400_000; days -= 1 }
        let (y, mo, d) = civilFromDays(days)
        let h = msOfDay / 3_600_000, mi = (msOfDay / 60_000) % 60, s = (msOfDay / 1000) % 60, ms = msOfDay % 1000
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ v: Int, _ at: Int, _ width: Int) {
            var v = v
            for k in stride(from: at + width - 1, through: at, by: -1) { bytes[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(y, 0, 4); bytes[4] = 45; put(mo, 5, 2); bytes[7] = 45; put(d, 8, 2); bytes[10] = 84
        put(h, 11, 2); bytes[13] = 58; put(mi, 14, 2); bytes[16] = 58; put(s, 17, 2); bytes[19] = 46
        put(ms, 20, 3); bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }
}
