import Foundation
import Primitives

/// The ingest rules, applied to a chunk's valid events one at a time in line order, against the
/// sessions and event ids the database holds when the chunk's transaction starts.
///
/// Because each event is judged only by what precedes it (the database, then the earlier lines
/// of its chunk), the outcome is the one of loading the file one line at a time: the same rows
/// and counts at every chunk size, and from standard input, which allows no look-ahead. Checks
/// run in an order that makes a rerun of a file repeat its first run's outcome: checks against
/// state that never changes once stored (an explicit start, a chosen end) come before the event
/// id check, so a line refused once is refused again for the same reason, and an event stored
/// once is a duplicate.
///
/// Rules (documented in README "Batch ingest"):
/// - An event (or a `session_end`) dated before its session's explicit `session_start` is refused.
/// - A session with no `session_start` yet is a placeholder whose start is the earliest event
///   seen; an earlier event moves it back.
/// - A `session_start` later than the session's start so far (its earliest event) is refused: a
///   start must precede the session's events. Another start for a started session is a conflict.
/// - A `session_end` for a session ended by another event is a conflict.
/// - An event id already stored (or stored earlier in the chunk) is a duplicate when the content
///   is the same and a conflict (refused, the differing fields named) when it is not.
struct LoadPlan {
    /// One valid event of a batch.
    struct Entry {
        var event: TrackingEvent
        var line: Int
        /// Content fingerprint of the stage row (see `CopyBuffer.rowFingerprint`).
        var fingerprint: String
        /// The line as read, for `ingest_rejects` should the load refuse it.
        var raw: [UInt8]

        var time: Timestamp {
            switch event {
            case .sessionStart(let e): return e.startedAt
            case .sessionEnd(let e): return e.endedAt
            case .interaction(let e): return e.occurredAt
            case .toolUsage(let e): return e.occurredAt
            case .codeGeneration(let e): return e.occurredAt
            case .feedback(let e): return e.occurredAt
            case .context(let e): return e.occurredAt
            case .learning(let e): return e.occurredAt
            }
        }

        var timeField: String {
            switch event.type {
            case .sessionStart: return "started_at"
            case .sessionEnd: return "ended_at"
            default: return "occurred_at"
            }
        }
    }

    /// A session as the database holds it (nil `startedAt`: no row yet).
    struct SessionState {
        var startedAt: Int64?
        var startEvent: UUID?
        var endEvent: UUID?
        var endedAt: Int64?
        /// Start to write for a placeholder whose start moved (the earliest event's own text).
        var placeholderStart: String?
    }

    /// A stored event id and its fingerprint (nil for rows stored before fingerprints existed:
    /// taken as identical), with the line that stored it when that was this chunk.
    struct Stored {
        var fingerprint: String?
        var line: Int?
    }

    /// Why the load refused an entry.
    struct Refusal {
        var entry: Int
        var error: FieldError
        /// For an event id conflict: the earlier line of this chunk holding the id, or nil for the database.
        var conflictLine: Int?
        var isIDConflict = false
    }

    var sessions: [String: SessionState]
    /// Sessions that had no row before this chunk (their stand-in rows are removed when unused).
    var standIns: Set<String> = []
    /// Stored event ids per id space: `session_start`, `session_end`, and each other event type.
    var stored: [EventType: [UUID: Stored]]

    private(set) var accepted: [EventType: [Int]] = [:]
    private(set) var refusals: [Refusal] = []
    private(set) var duplicates = 0
    /// Sessions whose placeholder start is new or moved back.
    private(set) var touched: Set<String> = []

    init(sessions: [String: SessionState], stored: [EventType: [UUID: Stored]]) {
        self.sessions = sessions
        self.stored = stored
    }

    /// Applies the rules to `entries` in order.
    mutating func run(_ entries: [Entry]) {
        for (k, entry) in entries.enumerated() { decide(k, entry) }
    }

    private mutating func refuse(_ k: Int, _ field: String, _ kind: FieldError.Kind, _ detail: String,
                                 conflictLine: Int? = nil, isIDConflict: Bool = false) {
        refusals.append(Refusal(entry: k, error: FieldError(field: field, kind: kind, detail: detail),
                                conflictLine: conflictLine, isIDConflict: isIDConflict))
    }

    /// The event id check: nil when new, else whether it is a duplicate (true) or was refused (false).
    private mutating func checkID(_ k: Int, _ entry: Entry) -> Bool? {
        let type = entry.event.type
        guard let prior = stored[type]?[entry.event.eventID] else { return nil }
        if prior.fingerprint == nil || prior.fingerprint == entry.fingerprint {
            duplicates += 1
            return true
        }
        refuse(k, "event_id", .conflict, "already recorded with different content", conflictLine: prior.line, isIDConflict: true)
        return false
    }

    private mutating func accept(_ entry: Entry) {
        accepted[entry.event.type, default: []].append(entry.line)
        stored[entry.event.type, default: [:]][entry.event.eventID] = Stored(fingerprint: entry.fingerprint, line: entry.line)
    }

    /// Moves a placeholder's start back to `entry`'s time (creating the session when absent).
    private mutating func extendPlaceholder(_ session: String, _ entry: Entry, _ t: Int64) {
        var s = sessions[session] ?? SessionState()
        guard s.startEvent == nil else { return }
        if s.startedAt == nil || t < s.startedAt! {
            s.startedAt = t
            s.placeholderStart = entry.time.text
            touched.insert(session)
        }
        sessions[session] = s
    }

    private mutating func decide(_ k: Int, _ entry: Entry) {
        let session = entry.event.sessionID
        let t = entry.time.microseconds
        let state = sessions[session] ?? SessionState()
        switch entry.event {
        case .sessionStart:
            if let start = state.startedAt, t > start {
                return refuse(k, "started_at", .outOfRange,
                              "the session already has an event or a start before it, got \(TimestampText.format(microseconds: t))")
            }
            if let other = state.startEvent, other != entry.event.eventID {
                return refuse(k, "session_id", .conflict, "session already started by event \(other.uuidString.lowercased())")
            }
            if checkID(k, entry) != nil { return }
            var s = state
            s.startedAt = t
            s.startEvent = entry.event.eventID
            s.placeholderStart = nil
            sessions[session] = s
            touched.remove(session)
            accept(entry)
        case .sessionEnd:
            if state.startEvent != nil, let start = state.startedAt, t < start {
                return refuse(k, "ended_at", .outOfRange,
                              "expected at or after the session's started_at \(TimestampText.format(microseconds: start)), got \(TimestampText.format(microseconds: t))")
            }
            if let other = state.endEvent, other != entry.event.eventID {
                return refuse(k, "session_id", .conflict, "session already ended by event \(other.uuidString.lowercased())"
                              + (state.endedAt.map { " at \(TimestampText.format(microseconds: $0))" } ?? ""))
            }
            if checkID(k, entry) != nil { return }
            extendPlaceholder(session, entry, t)
            sessions[session]!.endEvent = entry.event.eventID
            sessions[session]!.endedAt = t
            accept(entry)
        default:
            if state.startEvent != nil, let start = state.startedAt, t < start {
                return refuse(k, entry.timeField, .outOfRange,
                              "expected at or after the session's started_at \(TimestampText.format(microseconds: start)), got \(TimestampText.format(microseconds: t))")
            }
            if checkID(k, entry) != nil { return }
            extendPlaceholder(session, entry, t)
            accept(entry)
        }
    }
}
