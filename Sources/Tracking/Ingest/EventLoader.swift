import Crypto
import Foundation
import Store

/// Counts of one load: every accepted event is either inserted, a duplicate, or refused by a
/// check only the database can make (a session_end before its session's start).
public struct LoadCounts: Sendable, Equatable {
    public var accepted = 0
    public var inserted = 0
    public var refused = 0
    public var duplicates: Int { accepted - inserted - refused }
}

/// Writes validated events to the tracking tables, idempotently, in one transaction per batch.
///
/// Events are COPYed into temporary staging tables and moved with
/// `INSERT … SELECT … ON CONFLICT (event_id) DO NOTHING`, so a batch sent twice, or a batch cut
/// short and sent again, stores every event once. On the way in, developer names become
/// pseudonyms and free text (error messages, feedback, descriptions, JSON context) is redacted.
///
/// Sessions: an event for a session that does not exist creates a minimal `ai_sessions` row
/// (started at the earliest event seen, no developer); a later session_start fills it in. A
/// session ends once: the first valid session_end (in line order; one before the session's start
/// is refused) sets `ended_at`, `end_rating`, `end_feedback_text` and `end_event_id` and adds its
/// rating to `user_feedback` (same event id); a later session_end for an ended session counts as a
/// duplicate.
/// Events and rejects buffered in COPY format, ready for one `EventLoader.load` transaction.
/// Filled on one thread and loaded on another by the pipelined `BatchIngester`; never shared.
final class EventBatch: @unchecked Sendable {
    let pseudonymizer: Pseudonymizer
    let redactor: SecretRedactor
    /// One COPY buffer per event type, indexed by `EventBatch.index(of:)` (mutated in place).
    var buffers = [CopyBuffer](repeating: CopyBuffer(), count: EventType.allCases.count)
    var rejects = CopyBuffer()
    /// Events accepted into this batch (buffered, or dropped as a repeat of an event id already in it).
    var pendingEvents = 0
    /// Event ids buffered so far, per event type: a repeat within the batch is a duplicate (first wins),
    /// so no staging table ever holds one id twice.
    private var seen = [Set<UUID>](repeating: [], count: EventType.allCases.count)
    /// Rejected lines buffered.
    var pendingRejects = 0
    /// Non-blank lines this batch covers and how many of them validation refused (ingest bookkeeping).
    var lines = 0
    var validationRejects = 0

    init(pseudonymizer: Pseudonymizer, redactor: SecretRedactor) {
        self.pseudonymizer = pseudonymizer
        self.redactor = redactor
    }

    func reset() {
        for i in buffers.indices { buffers[i].reset() }
        for i in seen.indices { seen[i].removeAll(keepingCapacity: true) }
        rejects.reset()
        pendingEvents = 0
        pendingRejects = 0
        lines = 0
        validationRejects = 0
    }

    func rows(_ type: EventType) -> Int { buffers[EventBatch.index(of: type)].rows }

    /// Buffers one validated event. `line` and `raw` identify it in `ingest_rejects` should the
    /// database refuse it.
    public func append(_ event: TrackingEvent, line: Int = 1, raw: UnsafeBufferPointer<UInt8>? = nil) {
        let k = EventBatch.index(of: event.type)
        pendingEvents += 1
        guard seen[k].insert(event.eventID).inserted else { return }  // counted, never stored: a duplicate
        fill(&buffers[k], event, line: line, raw: raw)
    }

    static func index(of type: EventType) -> Int {
        switch type {
        case .sessionStart: return 0
        case .interaction: return 1
        case .toolUsage: return 2
        case .codeGeneration: return 3
        case .feedback: return 4
        case .context: return 5
        case .learning: return 6
        case .sessionEnd: return 7
        }
    }


    private func fill(_ b: inout CopyBuffer, _ event: TrackingEvent, line: Int, raw: UnsafeBufferPointer<UInt8>?) {
        // Every free-text field and tag is scanned for secrets; identifiers (session and
        // generation ids) are kept as given so that events still join.
        switch event {
        case .sessionStart(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.developer.map { pseudonymizer.pseudonym(for: $0) })
            b.text(e.startedAt.text); b.text(redactor(e.taskType)); b.text(e.context.map(storableJSON))
            b.textArray(redactor(e.tags))
        case .interaction(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.text(e.interactionType.rawValue)
            b.text(redactor(e.model)); b.bool(e.success); b.double(e.responseTimeMs); b.int(e.tokensIn); b.int(e.tokensOut)
            b.text(redactor(e.errorType)); b.text(redactor(e.errorMessage)); b.textArray(redactor(e.contextTags))
        case .toolUsage(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.text(redactor(e.toolName)); b.bool(e.success)
            b.double(e.executionTimeMs); b.text(redactor(e.errorType)); b.text(redactor(e.errorMessage))
            b.text(e.parameters.map(storableJSON))
        case .codeGeneration(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.text(e.generationID); b.text(redactor(e.filePath))
            b.text(e.generationType.rawValue); b.text(redactor(e.language)); b.int(e.linesGenerated); b.double(e.complexity)
            b.bool(e.accepted); b.double(e.timeToDecisionMs); b.int(e.linesModified)
        case .feedback(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.int(e.rating); b.text(redactor(e.text))
            b.textArray(redactor(e.contextTags))
        case .context(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.text(e.contextType.rawValue)
            b.text(storableJSON(e.data)); b.double(e.relevanceScore)
        case .learning(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.occurredAt.text); b.text(redactor(e.learningType))
            b.text(redactor(e.description)); b.double(e.confidenceScore); b.bool(e.applied); b.bool(e.appliedSuccessfully)
        case .sessionEnd(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.endedAt.text); b.int(e.rating); b.text(redactor(e.text))
            b.textArray(redactor(e.tags)); b.int(line)
            if let raw {
                let (text, md5) = EventBatch.storableRaw(raw, redactor: redactor, pseudonymizer: pseudonymizer)
                b.text(text); b.text(md5)
            } else {
                b.text(""); b.text("")
            }
        }
        b.endRow()
    }

    /// JSON for a `jsonb` column (context, parameters, data): every string and key redacted, values
    /// under secret-named keys replaced, and every value under a key named `developer`, at any depth, replaced as in
    /// rejected lines (a name by its pseudonym, null kept, anything else `[REDACTED:developer]`),
    /// so that a name sent inside context is not stored raw either. Text that can hold neither a
    /// `"developer"` key nor a secret is returned without parsing.
    func storableJSON(_ json: JSONText) -> String {
        let text = json.text
        guard text.contains("\"developer\"") || SecretRedactor.mayContainSecret(text),
              let value = try? JSONReader.parse(text) else { return text }
        return EventBatch.scrub(value, redactor: redactor, pseudonymizer: pseudonymizer).jsonText
    }

    /// What a value under a `developer` key becomes before storage: a name its pseudonym, null
    /// stays null, anything else (a number, an object, …) `[REDACTED:developer]`.
    static func developerValue(_ value: JSONValue, pseudonymizer: Pseudonymizer) -> JSONValue {
        switch value {
        case .null: return .null
        case .string(let name): return .string(pseudonymizer.pseudonym(for: name))
        default: return .string("[REDACTED:developer]")
        }
    }

    /// Buffers a refused line for `ingest_rejects`.
    public func appendReject(file: String, line: Int, rejection: RecordRejection, raw: UnsafeBufferPointer<UInt8>, rawLength: Int? = nil) {
        let truncated = rejection.errors.contains { $0.kind == .lineTooLong }  // the reader may have cut it
        let (text, md5) = EventBatch.storableRaw(raw, truncated: truncated, redactor: redactor, pseudonymizer: pseudonymizer)
        rejects.text(file); rejects.int(line)
        var reason = redactor(rejection.description)
        if reason.utf8.count > 8192 { reason = String(reason.prefix(8000)) + "…" }
        rejects.text(reason); rejects.text(rejection.code)
        rejects.text(text); rejects.text(md5)
        rejects.endRow()
        pendingRejects += 1
    }

    /// Longest raw line kept in `ingest_rejects` (bytes).
    static let maximumStoredRawLine = 64 * 1024

    /// The raw line as storable text (see `RejectedLineText`) and the md5 of its bytes.
    static func storableRaw(_ raw: UnsafeBufferPointer<UInt8>, truncated: Bool = false, redactor: SecretRedactor,
                            pseudonymizer: Pseudonymizer) -> (String, String) {
        let md5 = Insecure.MD5.hash(data: raw).map { b -> String in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        return (RejectedLineText.storable(raw, limit: maximumStoredRawLine, truncated: truncated, redactor: redactor,
                                          pseudonymizer: pseudonymizer), md5)
    }

    /// `value` with its secrets redacted (`SecretRedactor.redact(_:override:)`: strings, keys, values
    /// under secret-named keys) and every value under a `developer` key replaced (see
    /// `developerValue`), at any depth.
    static func scrub(_ value: JSONValue, redactor: SecretRedactor, pseudonymizer: Pseudonymizer) -> JSONValue {
        redactor.redact(value) { key, value in key == "developer" ? developerValue(value, pseudonymizer: pseudonymizer) : nil }
    }

    /// Decodes `\uXXXX` escapes of printable characters (not `"` or `\`), so that secrets written
    /// with escapes are seen by the redactor in lines that are not valid JSON.
    static func unescapeUnicode(_ text: String) -> String {
        guard text.contains("\\u") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\", i + 5 < scalars.count, scalars[i + 1] == "u",
               let v = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)..<(i + 6)])), radix: 16),
               v >= 0x20, v != 0x22, v != 0x5C, let u = Unicode.Scalar(v) {
                out.append(u)
                i += 6
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

}

public final class EventLoader {
    public let connection: Connection
    let pseudonymizer: Pseudonymizer
    let redactor: SecretRedactor
    let batch: EventBatch
    private var createdStages = Set<String>()
    /// Events buffered and not yet loaded.
    public var pendingEvents: Int { batch.pendingEvents }
    /// Rejected lines buffered and not yet written.
    public var pendingRejects: Int { batch.pendingRejects }

    public init(connection: Connection, pseudonymizer: Pseudonymizer, redactor: SecretRedactor = SecretRedactor()) {
        self.connection = connection
        self.pseudonymizer = pseudonymizer
        self.redactor = redactor
        self.batch = EventBatch(pseudonymizer: pseudonymizer, redactor: redactor)
    }

    /// Buffers one validated event. `line` and `raw` identify it in `ingest_rejects` should the
    /// database refuse it.
    public func append(_ event: TrackingEvent, line: Int = 1, raw: UnsafeBufferPointer<UInt8>? = nil) {
        batch.append(event, line: line, raw: raw)
    }

    /// Buffers a refused line for `ingest_rejects`.
    public func appendReject(file: String, line: Int, rejection: RecordRejection, raw: UnsafeBufferPointer<UInt8>) {
        batch.appendReject(file: file, line: line, rejection: rejection, raw: raw)
    }

    /// A new empty batch with this loader's pseudonymizer and redactor.
    func makeBatch() -> EventBatch { EventBatch(pseudonymizer: pseudonymizer, redactor: redactor) }


    // MARK: Loading

    /// Loads everything buffered in one transaction and clears the buffers.
    /// - Parameter file: recorded with database-refused events in `ingest_rejects`; nil records nothing there.
    @discardableResult
    public func flush(file: String?) throws -> LoadCounts {
        let counts = try load(batch, file: file)
        batch.reset()
        return counts
    }

    /// Attempts at one batch's transaction before a deadlock or serialization failure is reported.
    static let maximumAttempts = 5

    /// SQLSTATEs after which the whole transaction may simply be run again: deadlock detected
    /// (40P01) and serialization failure (40001). Both roll the transaction back entirely.
    static let retryableSQLStates: Set<String> = ["40P01", "40001"]

    /// Loads `batch` in one transaction (the batch is left as it is).
    ///
    /// Concurrent loads of overlapping data lock rows in the same order (every statement
    /// processes its rows sorted by key), so they wait for each other rather than deadlock. Should
    /// the server still report a deadlock or a serialization failure, the transaction is run again,
    /// up to `maximumAttempts` times with a short randomised backoff: a failed attempt is rolled
    /// back as a whole and its counts are discarded, so the batch is stored, and counted, once.
    /// Inside a caller's own transaction the attempts run under a savepoint.
    func load(_ batch: EventBatch, file: String?) throws -> LoadCounts {
        var attempt = 1
        while true {
            do {
                return try loadOnce(batch, file: file)
            } catch {
                // A rolled-back transaction takes the temporary stages it created with it.
                createdStages.removeAll()
                guard attempt < EventLoader.maximumAttempts, let store = error as? StoreError,
                      let state = store.sqlState, EventLoader.retryableSQLStates.contains(state) else { throw error }
                Thread.sleep(forTimeInterval: EventLoader.backoff(attempt: attempt))
                attempt += 1
            }
        }
    }

    /// Seconds to wait before attempt `attempt + 1`: 10 ms doubling per attempt, times a random
    /// factor in 0.5…1.5 so that two loaders that collided do not retry in lockstep.
    static func backoff(attempt: Int) -> Double {
        0.010 * Double(1 << min(attempt - 1, 6)) * Double.random(in: 0.5...1.5)
    }

    private func loadOnce(_ batch: EventBatch, file: String?) throws -> LoadCounts {
        var counts = LoadCounts()
        counts.accepted = batch.pendingEvents
        guard batch.pendingEvents > 0 || batch.pendingRejects > 0 else { return counts }
        func rows(_ type: EventType) -> Int { batch.rows(type) }
        try connection.transaction {
            try createStages(batch)
            for type in EventType.allCases where rows(type) > 0 {
                try copy(batch.buffers[EventBatch.index(of: type)].bytes, into: EventLoader.stageName(type),
                         columns: EventLoader.stageColumns(type))
            }
            if batch.pendingRejects > 0 {
                try copy(batch.rejects.bytes, into: "ail_stage_rejects", columns: EventLoader.rejectColumns)
                try connection.execute("""
                    INSERT INTO ingest_rejects (file, line_number, reason, reason_code, raw_line, raw_line_md5)
                    SELECT file, line_number, reason, reason_code, raw_line, raw_line_md5 FROM ail_stage_rejects
                    ORDER BY file, line_number, raw_line_md5
                    ON CONFLICT (file, line_number, raw_line_md5) DO NOTHING
                    """)
            }
            let present = EventType.allCases.filter { rows($0) > 0 }
            if present.contains(.sessionStart) {
                counts.inserted += try connection.execute(EventLoader.sessionStartSQL).affectedRows
            }
            let others = present.filter { $0 != .sessionStart }
            if !others.isEmpty {
                let union = others.map { "SELECT session_id, \($0 == .sessionEnd ? "ended_at" : "occurred_at") AS t FROM \(EventLoader.stageName($0))" }
                    .joined(separator: " UNION ALL ")
                try connection.execute("""
                    INSERT INTO ai_sessions (session_id, started_at)
                    SELECT session_id, min(t) FROM (\(union)) AS events GROUP BY session_id ORDER BY session_id
                    ON CONFLICT (session_id) DO NOTHING
                    """)
            }
            for type in others where type != .sessionEnd {
                counts.inserted += try connection.execute(EventLoader.insertSQL(type)).affectedRows
            }
            if present.contains(.sessionEnd) {
                // Lock the sessions to be ended in key order (an UPDATE … FROM takes them in plan
                // order); sessionEndSQL then starts after any concurrent end has committed and sees it.
                try connection.execute("""
                    SELECT 1 FROM ai_sessions WHERE session_id IN (SELECT session_id FROM ail_stage_session_end)
                    ORDER BY session_id FOR NO KEY UPDATE
                    """)
                let result = try connection.execute(EventLoader.sessionEndSQL, [SQLValue(file)])
                counts.inserted += try result.first?.value("ended", as: Int.self) ?? 0
                counts.refused += try result.first?.value("refused", as: Int.self) ?? 0
            }
        }
        return counts
    }

    /// Drops whatever is buffered (after a failed flush).
    public func discardPending() { batch.reset() }

    private func copy(_ bytes: [UInt8], into table: String, columns: String) throws {
        try connection.copyIn("COPY \(table) (\(columns)) FROM STDIN") { writer in
            try writer.write(bytes)
        }
    }

    private func createStages(_ batch: EventBatch) throws {
        var script = ""
        for type in EventType.allCases where batch.rows(type) > 0 {
            let name = EventLoader.stageName(type)
            if createdStages.insert(name).inserted {
                script += "CREATE TEMP TABLE IF NOT EXISTS \(name) (\(EventLoader.stageDefinition(type))) ON COMMIT DELETE ROWS;\n"
            }
        }
        if batch.pendingRejects > 0, createdStages.insert("ail_stage_rejects").inserted {
            script += "CREATE TEMP TABLE IF NOT EXISTS ail_stage_rejects (file text, line_number bigint, reason text, reason_code text, raw_line text, raw_line_md5 text) ON COMMIT DELETE ROWS;\n"
        }
        if !script.isEmpty { try connection.executeScript(script) }
    }

    // MARK: SQL

    static func stageName(_ type: EventType) -> String { "ail_stage_\(type.rawValue)" }

    static let rejectColumns = "file, line_number, reason, reason_code, raw_line, raw_line_md5"

    static func stageDefinition(_ type: EventType) -> String {
        switch type {
        case .sessionStart:
            return "event_id uuid, session_id text, developer_id text, started_at timestamptz, task_type text, context jsonb, tags text[]"
        case .interaction:
            return "event_id uuid, session_id text, occurred_at timestamptz, interaction_type text, model_name text, success boolean, response_time_ms double precision, tokens_in integer, tokens_out integer, error_type text, error_message text, context_tags text[]"
        case .toolUsage:
            return "event_id uuid, session_id text, occurred_at timestamptz, tool_name text, success boolean, execution_time_ms double precision, error_type text, error_message text, parameters jsonb"
        case .codeGeneration:
            return "event_id uuid, session_id text, occurred_at timestamptz, generation_id text, file_path text, generation_type text, language text, lines_generated integer, complexity double precision, accepted boolean, time_to_decision_ms double precision, lines_modified integer"
        case .feedback:
            return "event_id uuid, session_id text, occurred_at timestamptz, rating integer, feedback_text text, context_tags text[]"
        case .context:
            return "event_id uuid, session_id text, occurred_at timestamptz, context_type text, context_data jsonb, relevance_score double precision"
        case .learning:
            return "event_id uuid, session_id text, occurred_at timestamptz, learning_type text, description text, confidence_score double precision, applied boolean, applied_successfully boolean"
        case .sessionEnd:
            return "event_id uuid, session_id text, ended_at timestamptz, rating integer, end_text text, tags text[], line_number bigint, raw_line text, raw_line_md5 text"
        }
    }

    /// Column names of a stage, in COPY order.
    static func stageColumns(_ type: EventType) -> String {
        stageDefinition(type).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }
            .joined(separator: ", ")
    }

    static let sessionStartSQL = """
        WITH src AS (
            SELECT DISTINCT ON (session_id) * FROM ail_stage_session_start st
            WHERE NOT EXISTS (SELECT 1 FROM ai_sessions s WHERE s.event_id = st.event_id)
            ORDER BY session_id, started_at, event_id
        )
        INSERT INTO ai_sessions AS s (session_id, event_id, developer_id, started_at, task_type, context, tags)
        SELECT session_id, event_id, developer_id, started_at, task_type, COALESCE(context, '{}'::jsonb), COALESCE(tags, '{}')
        FROM src ORDER BY session_id
        ON CONFLICT (session_id) DO UPDATE SET
            event_id = EXCLUDED.event_id,
            developer_id = EXCLUDED.developer_id,
            started_at = CASE WHEN s.ended_at IS NULL OR s.ended_at >= EXCLUDED.started_at THEN EXCLUDED.started_at ELSE s.started_at END,
            task_type = EXCLUDED.task_type,
            context = EXCLUDED.context,
            tags = EXCLUDED.tags || ARRAY(SELECT t FROM unnest(s.tags) AS t WHERE t <> ALL (EXCLUDED.tags))
        WHERE s.event_id IS NULL
        """

    static func insertSQL(_ type: EventType) -> String {
        let stage = stageName(type)
        switch type {
        case .interaction:
            return """
                INSERT INTO ai_interactions (event_id, session_id, interaction_type, model_name, success, response_time_ms,
                    tokens_in, tokens_out, error_type, error_message, context_tags, created_at)
                SELECT event_id, session_id, interaction_type, model_name, success, response_time_ms, tokens_in, tokens_out,
                    error_type, error_message, COALESCE(context_tags, '{}'), occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .toolUsage:
            return """
                INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms, error_type,
                    error_message, parameters, created_at)
                SELECT event_id, session_id, tool_name, success, execution_time_ms, error_type, error_message,
                    COALESCE(parameters, '{}'::jsonb), occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .codeGeneration:
            return """
                INSERT INTO code_generation_events (event_id, session_id, generation_id, file_path, generation_type, language,
                    lines_generated, complexity, accepted, decided_at, time_to_decision_ms, lines_modified, created_at)
                SELECT event_id, session_id, generation_id, file_path, generation_type, language, lines_generated, complexity,
                    accepted, CASE WHEN accepted IS NOT NULL THEN occurred_at + time_to_decision_ms * interval '1 millisecond' END,
                    time_to_decision_ms, lines_modified, occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .feedback:
            return """
                INSERT INTO user_feedback (event_id, session_id, rating, feedback_text, context_tags, created_at)
                SELECT event_id, session_id, rating, feedback_text, COALESCE(context_tags, '{}'), occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .context:
            return """
                INSERT INTO context_awareness_events (event_id, session_id, context_type, context_data, relevance_score, created_at)
                SELECT event_id, session_id, context_type, context_data, relevance_score, occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .learning:
            return """
                INSERT INTO learning_events (event_id, session_id, learning_type, description, confidence_score, applied,
                    applied_successfully, created_at)
                SELECT event_id, session_id, learning_type, description, confidence_score, applied, applied_successfully,
                    occurred_at FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .sessionStart, .sessionEnd:
            preconditionFailure("sessions are loaded by sessionStartSQL and sessionEndSQL")
        }
    }

    /// Ends sessions from the staged `session_end` events, in one statement.
    ///
    /// Candidates are the ends of sessions not ended yet whose event id is not already stored as
    /// an end. An end before its session's start is refused, so it is filtered out *before* the
    /// end is chosen: the first valid end in line order (then the earliest, then by event id)
    /// ends the session, whatever invalid ends came before it in the same chunk. Invalid ends
    /// are refused when no valid end precedes them in the chunk; after one they are duplicates,
    /// as they would be in a later chunk, so the counts do not depend on the chunk size.
    /// "Not ended" is written `num_nulls(end_event_id) = 1`, which no index can serve: with
    /// `IS NULL` and statistics that say almost no session is open (true of a settled table, and
    /// kept after a TRUNCATE) the planner expected one open session and walked all of a chunk's
    /// new sessions through the end_event_id index once per chosen end (837k comparisons, 0.3–1.9 s
    /// a chunk), instead of looking each session up by its id. The test in the UPDATE is re-checked on the latest row version, so a
    /// concurrent load that ended the session first turns this end into a duplicate.
    static let sessionEndSQL = """
        WITH candidate AS (
            SELECT st.*, s.started_at AS session_started_at
            FROM ail_stage_session_end st JOIN ai_sessions s USING (session_id)
            WHERE num_nulls(s.end_event_id) = 1
              AND NOT EXISTS (SELECT 1 FROM ai_sessions e WHERE e.end_event_id = st.event_id)
        ), chosen AS (
            SELECT DISTINCT ON (session_id) * FROM candidate
            WHERE ended_at >= session_started_at
            ORDER BY session_id, line_number, ended_at, event_id
        ), bad AS (
            SELECT c.* FROM candidate c LEFT JOIN chosen w USING (session_id)
            WHERE c.ended_at < c.session_started_at
              AND (w.event_id IS NULL OR (c.line_number, c.ended_at, c.event_id) < (w.line_number, w.ended_at, w.event_id))
        ), rejected AS (
            INSERT INTO ingest_rejects (file, line_number, reason, reason_code, raw_line, raw_line_md5)
            SELECT $1::text, line_number,
                   'ended_at: out of range (expected at or after the session''s started_at ' || session_started_at || ', got ' || ended_at || ')',
                   'out_of_range', raw_line, raw_line_md5
            FROM bad WHERE $1::text IS NOT NULL
            ORDER BY line_number, raw_line_md5
            ON CONFLICT (file, line_number, raw_line_md5) DO NOTHING
        ), ended AS (
            UPDATE ai_sessions s SET
                ended_at = f.ended_at, end_rating = f.rating, end_feedback_text = f.end_text, end_event_id = f.event_id,
                tags = CASE WHEN f.tags IS NULL THEN s.tags
                            ELSE s.tags || ARRAY(SELECT t FROM unnest(f.tags) AS t WHERE t <> ALL (s.tags)) END
            FROM chosen f
            WHERE s.session_id = f.session_id AND num_nulls(s.end_event_id) = 1
            RETURNING f.event_id, f.session_id, f.rating, f.end_text, f.tags, f.ended_at
        ), rated AS (
            INSERT INTO user_feedback (event_id, session_id, rating, feedback_text, context_tags, created_at)
            SELECT event_id, session_id, rating, end_text, COALESCE(tags, '{}'), ended_at FROM ended
            WHERE rating IS NOT NULL
            ORDER BY event_id
            ON CONFLICT (event_id) DO NOTHING
        )
        SELECT (SELECT count(*) FROM ended)::bigint AS ended, (SELECT count(*) FROM bad)::bigint AS refused
        """
}
