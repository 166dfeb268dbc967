import Foundation
import Store
import Primitives

/// What happened to one recorded event.
public struct EventReceipt: Codable, Sendable, Equatable {
    public var eventID: UUID
    public var sessionID: String
    public var type: String
    /// False when an event with this id was already stored (a retry): nothing changed.
    public var stored: Bool
    /// For code generations: the id to pass to `decideCode`.
    public var generationID: String?

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id", sessionID = "session_id", type, stored, generationID = "generation_id"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(eventID.uuidString.lowercased(), forKey: .eventID)
        try c.encode(sessionID, forKey: .sessionID)
        try c.encode(type, forKey: .type)
        try c.encode(stored, forKey: .stored)
        try c.encodeIfPresent(generationID, forKey: .generationID)
    }
}

/// A session as stored, with its event counts.
public struct SessionStatus: Codable, Sendable, Equatable {
    public var sessionID: String
    public var developerID: String?
    public var startedAt: Date
    public var endedAt: Date?
    public var taskType: String?
    public var endRating: Int?
    public var counts: [String: Int]

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id", developerID = "developer_id", startedAt = "started_at", endedAt = "ended_at"
        case taskType = "task_type", endRating = "end_rating", counts
    }
}

/// A monitor call could not be recorded.
public enum MonitorError: Error, CustomStringConvertible {
    /// The event failed validation; the reasons name the fields.
    case invalid(RecordRejection)
    /// No session given and none is current.
    case noCurrentSession
    /// `decideCode` found no generation with that id.
    case unknownGeneration(String)
    /// The database refused the event (e.g. a session end before the session's start).
    case refused(String)
    /// `startSession` with an id already started under another event id.
    case sessionExists(String, startedAt: Date, endedAt: Date?)
    /// An event for a session that was never started (the monitor does not create placeholders).
    case unknownSession(String)
    /// An event other than its end for a session that has ended.
    case sessionEnded(String, endedAt: Date)
    /// `endSession` for a session already ended under another event id.
    case sessionAlreadyEnded(String, endedAt: Date)
    /// The event id is already recorded with other content (the reasons name the fields).
    case conflict(RecordRejection)
    /// `decideCode` on a generation decided before, without `change`.
    case alreadyDecided(String, accepted: Bool, decidedAt: Date?, linesModified: Int?)

    static func format(_ date: Date) -> String { TimestampText.format(secondsSince1970: date.timeIntervalSince1970) }

    public var description: String {
        switch self {
        case .invalid(let r): return r.description
        case .noCurrentSession: return "no current session: run `ail monitor start-session --id ID` first or pass --session ID"
        case .unknownGeneration(let id): return "generation: no code generation with id \"\(id)\" in this session"
        case .refused(let why): return why
        case .sessionExists(let id, let started, let ended):
            return "session \(id) already exists (started \(Self.format(started))"
                + (ended.map { ", ended \(Self.format($0))" } ?? "") + "); choose another id, or pass its --event-id to retry the same start"
        case .unknownSession(let id):
            return "session \(id) does not exist: start it first with `ail monitor start-session --id \(id)`"
        case .sessionEnded(let id, let ended):
            return "session \(id) has ended (at \(Self.format(ended))): start a new session to record more events"
        case .sessionAlreadyEnded(let id, let ended):
            return "session \(id) already ended (at \(Self.format(ended))); pass its --event-id to retry the same end"
        case .conflict(let r): return r.description
        case .alreadyDecided(let id, let accepted, let decidedAt, let lines):
            return "generation \(id) was already \(accepted ? "accepted" : "rejected")"
                + (decidedAt.map { " at \(Self.format($0))" } ?? "") + (lines.map { " with \($0) lines modified" } ?? "")
                + "; pass --change to change the decision"
        }
    }
}

/// The session monitor (the seed's `ai_session_monitor.py`): start a session, log tool calls,
/// code generations, interactions, context, learning and feedback, end it.
///
/// Each call validates the event exactly as batch ingest does, then commits it durably in its own
/// transaction through the same `EventLoader`, so both paths store identical rows. Every event has
/// an event id (a new UUID unless the caller passes one); calling again with the same id changes
/// nothing and returns `stored == false`.
///
/// Stricter than ingest: a session is started once and ended once (again only as a retry with
/// the same event id), events go only to a started session that has not ended, and no
/// placeholder session is ever created (`MonitorError.sessionExists`, `.unknownSession`, …).
public final class SessionMonitor {
    public let loader: EventLoader
    private let decoder = EventDecoder()
    /// Where the current session id is remembered between processes (nil: not remembered).
    public let currentSessionFile: URL?
    /// Overrides the clock (tests); nil means now.
    public var clock: () -> Date = { Date() }

    public init(connection: Connection, pseudonymizer: Pseudonymizer, currentSessionFile: URL? = nil) {
        self.loader = EventLoader(connection: connection, pseudonymizer: pseudonymizer)
        self.currentSessionFile = currentSessionFile
    }

    /// The monitor of an installation: pseudonym key and current session under `dataFolder`.
    public convenience init(connection: Connection, dataFolder: URL) throws {
        self.init(connection: connection, pseudonymizer: try Pseudonymizer(dataFolder: dataFolder),
                  currentSessionFile: dataFolder.appendingPathComponent("current_session"))
    }

    // MARK: Current session

    /// The remembered current session, if any.
    public var currentSession: String? {
        guard let url = currentSessionFile, let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// Remembers `id` as the current session (nil forgets it).
    public func makeCurrent(_ id: String?) throws { try setCurrentSession(id) }

    func setCurrentSession(_ id: String?) throws {
        guard let url = currentSessionFile else { return }
        if let id {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((id + "\n").utf8).write(to: url, options: .atomic)
        } else {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// `session`, else the current session.
    public func resolveSession(_ session: String?) throws -> String {
        if let session { return session }
        guard let current = currentSession else { throw MonitorError.noCurrentSession }
        return current
    }

    // MARK: Recording

    /// Validates and stores one event given as ingest-format fields (without `type`,
    /// `event_id`, `session_id`; the time field defaults to now, or, for a retry of a stored
    /// event id, to the stored event's time, so that an identical retry stays identical).
    ///
    /// A tool call or a code generation is also recorded as the `tool_call` / `code_generation`
    /// interaction it was (`derivedInteraction`), in the same transaction, so that
    /// per-interaction views count it; its event id is derived from the event's own, so a retry
    /// stores it once too. The same event id with other content is refused (`.conflict`).
    @discardableResult
    public func record(_ type: EventType, session: String?, fields: [(String, JSONValue)], eventID: UUID? = nil) throws -> EventReceipt {
        let sessionID = try resolveSession(session)
        let id = eventID ?? UUID()
        let timeField = type == .sessionStart ? "started_at" : type == .sessionEnd ? "ended_at" : "occurred_at"
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string(type.rawValue)), ("event_id", .string(id.uuidString.lowercased())), ("session_id", .string(sessionID)),
        ]
        if !fields.contains(where: { $0.0 == timeField }) {
            var time = eventID == nil ? nil : try storedTime(of: type, eventID: id)
            if time == nil, type == .sessionStart { time = try placeholderStart(sessionID) }
            members.append((timeField, .string(time ?? TimestampText.format(secondsSince1970: clock().timeIntervalSince1970))))
        }
        members.append(contentsOf: fields.map { (key: $0.0, value: $0.1) })
        let event: TrackingEvent
        switch decoder.decode(.object(members)) {
        case .success(let e): event = e
        case .failure(let rejection): throw MonitorError.invalid(rejection)
        }
        // The check and the write are one transaction, the check holding a lock on the session
        // row: an end-session committed by another process in between cannot be missed.
        let counts: LoadCounts
        do {
            counts = try loader.connection.transaction { () -> LoadCounts in
                try checkSession(sessionID, for: type, eventID: id)
                loader.append(event)
                if let derived = SessionMonitor.derivedInteraction(for: event) { loader.append(derived, line: 2) }
                return try loader.flush(file: nil)
            }
        } catch {
            loader.discardPending()
            throw error
        }
        if let refusal = counts.refusals.first {
            if refusal.errors.first?.kind == .conflict { throw MonitorError.conflict(refusal) }
            throw MonitorError.refused(refusal.description)
        }
        var generationID: String?
        if case .codeGeneration(let g) = event { generationID = g.generationID }
        return EventReceipt(eventID: id, sessionID: sessionID, type: type.rawValue, stored: counts.inserted > 0,
                            generationID: generationID)
    }

    /// The interaction a tool call or code generation also is (nil for other events): same
    /// session and time, the outcome of a tool call, an event id derived from the event's.
    public static func derivedInteraction(for event: TrackingEvent) -> TrackingEvent? {
        switch event {
        case .toolUsage(let e):
            return .interaction(Interaction(eventID: derivedEventID(e.eventID), sessionID: e.sessionID, occurredAt: e.occurredAt,
                interactionType: .toolCall, model: nil, success: e.success, responseTimeMs: e.executionTimeMs, tokensIn: nil,
                tokensOut: nil, errorType: e.errorType, errorMessage: e.errorMessage, contextTags: nil))
        case .codeGeneration(let e):
            return .interaction(Interaction(eventID: derivedEventID(e.eventID), sessionID: e.sessionID, occurredAt: e.occurredAt,
                interactionType: .codeGeneration, model: nil, success: nil, responseTimeMs: nil, tokensIn: nil, tokensOut: nil,
                errorType: nil, errorMessage: nil, contextTags: nil))
        default:
            return nil
        }
    }

    /// A second event id determined by the first (a fixed XOR mask, then the version-4 bits), so a
    /// retried call derives the same id and its interaction is stored once too.
    public static func derivedEventID(_ id: UUID) -> UUID {
        var bytes = id.uuid
        withUnsafeMutableBytes(of: &bytes) { raw in
            let mask: [UInt8] = [0x5a, 0x1c, 0x93, 0x27, 0xe4, 0x6b, 0x08, 0xd1, 0x3f, 0xa2, 0x71, 0xc6, 0x19, 0x8e, 0x44, 0xb5]
            for i in 0..<16 { raw[i] ^= mask[i] }
            raw[6] = (raw[6] & 0x0f) | 0x40
            raw[8] = (raw[8] & 0x3f) | 0x80
        }
        return UUID(uuid: bytes)
    }

    /// For a start without a time: when ingest left a placeholder for the session whose earliest
    /// event is before now, that event's time (a start may not follow its session's events).
    private func placeholderStart(_ sessionID: String) throws -> String? {
        let rows = try loader.connection.execute("""
            SELECT (extract(epoch FROM started_at) * 1000000)::bigint AS m FROM ai_sessions
             WHERE session_id = $1 AND event_id IS NULL AND started_at < $2::timestamptz
            """, [.text(sessionID), .timestamp(clock())])
        return try rows.first?.value("m", as: Int.self).map { TimestampText.format(microseconds: Int64($0)) }
    }

    /// The time of the stored event with this id, as RFC 3339 UTC (nil when not stored).
    private func storedTime(of type: EventType, eventID: UUID) throws -> String? {
        let (column, table, key) = type == .sessionStart ? ("started_at", "ai_sessions", "event_id")
            : type == .sessionEnd ? ("ended_at", "ai_sessions", "end_event_id")
            : ("created_at", EventLoader.tableName(type), "event_id")
        let rows = try loader.connection.execute(
            "SELECT (extract(epoch FROM \(column)) * 1000000)::bigint AS m FROM \(table) WHERE \(key) = $1", [.uuid(eventID)])
        return try rows.first?.value("m", as: Int.self).map { TimestampText.format(microseconds: Int64($0)) }
    }

    /// The monitor is stricter than ingest (which accepts events in any order): a session is
    /// started once, ended once, and takes events only between the two. Retrying a call with the
    /// same event id passes, and stores nothing new.
    ///
    /// The session row is locked until the caller's transaction ends: shared for an ordinary event
    /// (so an end waits for it, and it waits for an end in progress and then sees it), exclusive
    /// for a start or an end, which update the row themselves.
    private func checkSession(_ sessionID: String, for type: EventType, eventID: UUID) throws {
        let lock = type == .sessionStart || type == .sessionEnd ? "FOR NO KEY UPDATE" : "FOR SHARE"
        let rows = try loader.connection.execute("""
            SELECT event_id::text AS event_id, started_at, ended_at, end_event_id::text AS end_event_id
              FROM ai_sessions WHERE session_id = $1 \(lock)
            """, [.text(sessionID)])
        let same = eventID.uuidString.lowercased()
        guard let row = rows.first else {
            if type == .sessionStart { return }
            throw MonitorError.unknownSession(sessionID)
        }
        let startEvent: String? = try row.value("event_id")
        let endedAt: Date? = try row.value("ended_at")
        let endEvent: String? = try row.value("end_event_id")
        switch type {
        case .sessionStart:
            // A placeholder left by ingest (no start event yet) is filled in.
            if let startEvent, startEvent != same {
                throw MonitorError.sessionExists(sessionID, startedAt: try row.required("started_at"), endedAt: endedAt)
            }
        case .sessionEnd:
            if let endedAt, endEvent != same { throw MonitorError.sessionAlreadyEnded(sessionID, endedAt: endedAt) }
        default:
            if let endedAt { throw MonitorError.sessionEnded(sessionID, endedAt: endedAt) }
        }
    }

    private static func optional(_ name: String, _ value: String?) -> [(String, JSONValue)] {
        value.map { [(name, .string($0))] } ?? []
    }
    private static func optional(_ name: String, _ value: Double?) -> [(String, JSONValue)] {
        value.map { [(name, .number(EventDecoder.format($0)))] } ?? []
    }
    private static func optional(_ name: String, _ value: Int?) -> [(String, JSONValue)] {
        value.map { [(name, .number(String($0)))] } ?? []
    }
    private static func optional(_ name: String, _ value: Bool?) -> [(String, JSONValue)] {
        value.map { [(name, .bool($0))] } ?? []
    }
    private static func optional(_ name: String, _ value: [String]?) -> [(String, JSONValue)] {
        value.map { [(name, .array($0.map(JSONValue.string)))] } ?? []
    }
    private static func optional(_ name: String, _ value: JSONText?) throws -> [(String, JSONValue)] {
        guard let value else { return [] }
        do {
            return [(name, try JSONReader.parse(value.text))]
        } catch {
            throw MonitorError.invalid(RecordRejection([FieldError(field: name, kind: .invalidJSON, detail: error.description)]))
        }
    }

    /// Starts a session and makes it the current one.
    @discardableResult
    public func startSession(id: String, context: JSONText? = nil, developer: String? = nil, taskType: String? = nil,
                             tags: [String]? = nil, eventID: UUID? = nil) throws -> EventReceipt {
        var task = taskType
        if task == nil, let context, case .object(let members)? = try? JSONReader.parse(context.text),
           case .string(let t)? = members.first(where: { $0.key == "task" })?.value {
            task = t
        }
        let receipt = try record(.sessionStart, session: id, fields:
            Self.optional("developer", developer) + Self.optional("task_type", task) + (try Self.optional("context", context))
            + Self.optional("tags", tags), eventID: eventID)
        try setCurrentSession(id)
        return receipt
    }

    /// Logs one tool call.
    @discardableResult
    public func logToolUsage(tool: String, success: Bool, executionTimeMs: Double? = nil, errorType: String? = nil,
                             errorMessage: String? = nil, parameters: JSONText? = nil, session: String? = nil,
                             eventID: UUID? = nil) throws -> EventReceipt {
        try record(.toolUsage, session: session, fields: [("tool_name", .string(tool)), ("success", .bool(success))]
            + Self.optional("execution_time_ms", executionTimeMs) + Self.optional("error_type", errorType)
            + Self.optional("error_message", errorMessage) + (try Self.optional("parameters", parameters)), eventID: eventID)
    }

    /// Logs one code generation; the receipt carries the generation id for `decideCode`.
    @discardableResult
    public func logCodeGeneration(filePath: String?, type: GenerationType, language: String? = nil, linesGenerated: Int? = nil,
                                  complexity: Double? = nil, generationID: String? = nil, accepted: Bool? = nil,
                                  session: String? = nil, eventID: UUID? = nil) throws -> EventReceipt {
        let id = eventID ?? UUID()
        let generation = generationID ?? "gen-" + id.uuidString.lowercased().prefix(8)
        return try record(.codeGeneration, session: session, fields: [("generation_id", .string(generation)),
            ("generation_type", .string(type.rawValue))] + Self.optional("file_path", filePath)
            + Self.optional("language", language) + Self.optional("lines_generated", linesGenerated)
            + Self.optional("complexity", complexity) + Self.optional("accepted", accepted), eventID: id)
    }

    /// Records the accept/reject decision on an earlier generation (in the given or current session);
    /// the time to decision is measured from the generation. A generation is decided once: the
    /// same decision again changes nothing (returns 0), another one is refused
    /// (`.alreadyDecided`, naming the earlier decision) unless `change` says it replaces it.
    @discardableResult
    public func decideCode(generationID: String, accepted: Bool, linesModified: Int? = nil, session: String? = nil,
                           change: Bool = false) throws -> Int {
        if let linesModified, !(0...Int(Int32.max)).contains(linesModified) {
            throw MonitorError.invalid(RecordRejection([FieldError(field: "lines_modified", kind: .outOfRange,
                detail: "expected 0...\(Int32.max), got \(linesModified)")]))
        }
        let sessionID = try resolveSession(session)
        return try loader.connection.transaction { () -> Int in
            let earlier = try loader.connection.execute("""
                SELECT accepted, decided_at, lines_modified FROM code_generation_events
                 WHERE generation_id = $1 AND session_id = $2 ORDER BY event_id FOR UPDATE
                """, [.text(generationID), .text(sessionID)])
            guard !earlier.isEmpty else { throw MonitorError.unknownGeneration(generationID) }
            if let decided = earlier.first, let was: Bool = try decided.value("accepted") {
                let lines: Int? = try decided.value("lines_modified")
                if was == accepted && (linesModified == nil || linesModified == lines) { return 0 }  // a retry
                if !change {
                    throw MonitorError.alreadyDecided(generationID, accepted: was, decidedAt: try decided.value("decided_at"),
                                                      linesModified: lines)
                }
            }
            let result = try loader.connection.execute("""
                UPDATE code_generation_events
                   SET accepted = $3, decided_at = GREATEST($5::timestamptz, created_at),
                       time_to_decision_ms = GREATEST(0, EXTRACT(EPOCH FROM ($5::timestamptz - created_at)) * 1000),
                       -- a changed decision does not keep lines counted for the old one: an acceptance
                       -- keeps the count unless given anew, a rejection has one only if given
                       lines_modified = CASE WHEN $3 THEN COALESCE($4, lines_modified) ELSE $4 END
                 WHERE generation_id = $1 AND session_id = $2
                """, [.text(generationID), .text(sessionID), .bool(accepted), SQLValue(linesModified), .timestamp(clock())])
            return result.affectedRows
        }
    }

    /// Logs one interaction; `success` nil means not reported (stored as NULL).
    @discardableResult
    public func logInteraction(type: InteractionType, model: String? = nil, success: Bool? = nil, responseTimeMs: Double? = nil,
                               tokensIn: Int? = nil, tokensOut: Int? = nil, errorType: String? = nil, errorMessage: String? = nil,
                               contextTags: [String]? = nil, session: String? = nil, eventID: UUID? = nil) throws -> EventReceipt {
        try record(.interaction, session: session, fields: [("interaction_type", .string(type.rawValue))]
            + Self.optional("success", success) + Self.optional("model", model) + Self.optional("response_time_ms", responseTimeMs)
            + Self.optional("tokens_in", tokensIn) + Self.optional("tokens_out", tokensOut)
            + Self.optional("error_type", errorType) + Self.optional("error_message", errorMessage)
            + Self.optional("context_tags", contextTags), eventID: eventID)
    }

    /// Logs development context (open files, git status, …).
    @discardableResult
    public func logContext(type: ContextType, data: JSONText, relevance: Double? = nil, session: String? = nil,
                           eventID: UUID? = nil) throws -> EventReceipt {
        try record(.context, session: session, fields: [("context_type", .string(type.rawValue))]
            + (try Self.optional("data", data)) + Self.optional("relevance_score", relevance), eventID: eventID)
    }

    /// Logs a learning event.
    @discardableResult
    public func logLearning(type: String, description: String?, confidence: Double, applied: Bool = false,
                            appliedSuccessfully: Bool? = nil, session: String? = nil, eventID: UUID? = nil) throws -> EventReceipt {
        try record(.learning, session: session, fields: [("learning_type", .string(type)), ("confidence_score",
            .number(EventDecoder.format(confidence))), ("applied", .bool(applied))]
            + Self.optional("description", description) + Self.optional("applied_successfully", appliedSuccessfully),
            eventID: eventID)
    }

    /// Logs a 1–5 rating during the session.
    @discardableResult
    public func logFeedback(rating: Int, text: String? = nil, tags: [String]? = nil, session: String? = nil,
                            eventID: UUID? = nil) throws -> EventReceipt {
        try record(.feedback, session: session, fields: [("rating", .number(String(rating)))]
            + Self.optional("text", text) + Self.optional("context_tags", tags), eventID: eventID)
    }

    /// Ends the session with an optional rating and text; forgets it as the current session.
    @discardableResult
    public func endSession(rating: Int? = nil, text: String? = nil, tags: [String]? = nil, session: String? = nil,
                           eventID: UUID? = nil) throws -> EventReceipt {
        let receipt = try record(.sessionEnd, session: session, fields: Self.optional("rating", rating)
            + Self.optional("text", text) + Self.optional("tags", tags), eventID: eventID)
        if currentSession == receipt.sessionID { try setCurrentSession(nil) }
        return receipt
    }

    /// The stored session with its event counts.
    public func status(session: String? = nil) throws -> SessionStatus? {
        let sessionID = try resolveSession(session)
        let result = try loader.connection.execute("""
            SELECT s.session_id, s.developer_id, s.started_at, s.ended_at, s.task_type, s.end_rating::int AS end_rating,
                   (SELECT count(*) FROM ai_interactions WHERE session_id = s.session_id)::bigint AS interactions,
                   (SELECT count(*) FROM tool_usage_analytics WHERE session_id = s.session_id)::bigint AS tool_calls,
                   (SELECT count(*) FROM tool_usage_analytics WHERE session_id = s.session_id AND NOT success)::bigint AS tool_failures,
                   (SELECT count(*) FROM code_generation_events WHERE session_id = s.session_id)::bigint AS code_generations,
                   (SELECT count(*) FROM code_generation_events WHERE session_id = s.session_id AND accepted)::bigint AS accepted_generations,
                   (SELECT count(*) FROM user_feedback WHERE session_id = s.session_id)::bigint AS feedback,
                   (SELECT count(*) FROM context_awareness_events WHERE session_id = s.session_id)::bigint AS context_events,
                   (SELECT count(*) FROM learning_events WHERE session_id = s.session_id)::bigint AS learning_events
              FROM ai_sessions s WHERE s.session_id = $1
            """, [.text(sessionID)])
        guard let row = result.first else { return nil }
        var counts: [String: Int] = [:]
        for key in ["interactions", "tool_calls", "tool_failures", "code_generations", "accepted_generations", "feedback",
                    "context_events", "learning_events"] {
            counts[key] = try row.value(key, as: Int.self) ?? 0
        }
        return SessionStatus(sessionID: sessionID, developerID: try row.value("developer_id"),
                             startedAt: try row.required("started_at"), endedAt: try row.value("ended_at"),
                             taskType: try row.value("task_type"), endRating: try row.value("end_rating"), counts: counts)
    }
}
