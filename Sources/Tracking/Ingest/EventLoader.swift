import Crypto
import Foundation
import Store

/// Counts of one load: every valid event is either inserted, a duplicate, or refused by a rule
/// that needs the stored sessions and events (see `LoadPlan`).
public struct LoadCounts: Sendable, Equatable {
    public var accepted = 0
    public var inserted = 0
    public var refused = 0
    public var duplicates: Int { accepted - inserted - refused }
    /// Why each refused event was refused, in line order.
    public var refusals: [RecordRejection] = []
}

/// Events and rejects buffered in COPY format, ready for one `EventLoader.load` transaction.
/// Filled on one thread and loaded on another by the pipelined `BatchIngester`; never shared.
final class EventBatch: @unchecked Sendable {
    let pseudonymizer: Pseudonymizer
    let redactor: SecretRedactor
    /// One COPY buffer per event type, indexed by `EventBatch.index(of:)` (mutated in place).
    var buffers = [CopyBuffer](repeating: CopyBuffer(), count: EventType.allCases.count)
    var rejects = CopyBuffer()
    /// Every valid event of the batch in line order, as the load's rules need it (`LoadPlan`).
    var entries: [LoadPlan.Entry] = []
    /// Valid events in this batch (each staged; the load decides which are stored).
    var pendingEvents: Int { entries.count }
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
        entries.removeAll(keepingCapacity: true)
        rejects.reset()
        pendingRejects = 0
        lines = 0
        validationRejects = 0
    }

    func rows(_ type: EventType) -> Int { buffers[EventBatch.index(of: type)].rows }

    /// Buffers one validated event. `line` and `raw` identify it in `ingest_rejects` should the
    /// database refuse it.
    public func append(_ event: TrackingEvent, line: Int = 1, raw: UnsafeBufferPointer<UInt8>? = nil) {
        let k = EventBatch.index(of: event.type)
        let fingerprint = fill(&buffers[k], event, line: line)
        entries.append(LoadPlan.Entry(event: event, line: line, fingerprint: fingerprint, raw: raw.map { Array($0) } ?? []))
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


    /// Writes the event's stage row (its fields, then its fingerprint and line number) and returns the fingerprint.
    private func fill(_ b: inout CopyBuffer, _ event: TrackingEvent, line: Int) -> String {
        // Every free-text field and tag is scanned for secrets; identifiers (session and
        // generation ids) are kept as given so that events still join.
        switch event {
        case .sessionStart(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.text(e.developer.map { pseudonymizer.pseudonym(for: $0) })
            b.timestamp(e.startedAt); b.text(redactor(e.taskType)); b.text(e.context.map(storableJSON))
            b.textArray(redactor(e.tags))
        case .interaction(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.text(e.interactionType.rawValue)
            b.text(redactor(e.model)); b.bool(e.success); b.double(e.responseTimeMs); b.int(e.tokensIn); b.int(e.tokensOut)
            b.text(redactor(e.errorType)); b.text(redactor(e.errorMessage)); b.textArray(redactor(e.contextTags))
        case .toolUsage(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.text(redactor(e.toolName)); b.bool(e.success)
            b.double(e.executionTimeMs); b.text(redactor(e.errorType)); b.text(redactor(e.errorMessage))
            b.text(e.parameters.map(storableJSON))
        case .codeGeneration(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.text(e.generationID); b.text(redactor(e.filePath))
            b.text(e.generationType.rawValue); b.text(redactor(e.language)); b.int(e.linesGenerated); b.double(e.complexity)
            b.bool(e.accepted); b.double(e.timeToDecisionMs); b.int(e.linesModified)
        case .feedback(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.int(e.rating); b.text(redactor(e.text))
            b.textArray(redactor(e.contextTags))
        case .context(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.text(e.contextType.rawValue)
            b.text(storableJSON(e.data)); b.double(e.relevanceScore)
        case .learning(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.occurredAt); b.text(redactor(e.learningType))
            b.text(redactor(e.description)); b.double(e.confidenceScore); b.bool(e.applied); b.bool(e.appliedSuccessfully)
        case .sessionEnd(let e):
            b.uuid(e.eventID); b.text(e.sessionID); b.timestamp(e.endedAt); b.int(e.rating); b.text(redactor(e.text))
            b.textArray(redactor(e.tags))
        }
        let fingerprint = b.rowFingerprint()
        b.text(fingerprint); b.int(line)
        b.endRow()
        return fingerprint
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

/// Writes validated events to the tracking tables, idempotently, in one transaction per batch.
///
/// Events are COPYed into temporary staging tables; `LoadPlan` then judges each one in line
/// order against the sessions and event ids stored (locking the chunk's sessions), and only the
/// events it accepts are moved with `INSERT … SELECT`, so a batch sent twice, or cut short and
/// sent again, stores every event once and the outcome does not depend on the chunk size. Events
/// the plan refuses (an event before its session's start, a conflicting event id, …) go to
/// `ingest_rejects` like lines refused by validation. On the way in, developer names become
/// pseudonyms and free text (error messages, feedback, descriptions, JSON context) is redacted.
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
        try connection.transaction {
            try createStages(batch)
            let present = EventType.allCases.filter { batch.rows($0) > 0 }
            for type in present {
                try copy(batch.buffers[EventBatch.index(of: type)].bytes, into: EventLoader.stageName(type),
                         columns: EventLoader.stageColumns(type))
            }
            let extra = makeBatch()  // this attempt's refusals, beside the batch's validation rejects
            if !present.isEmpty {
                var plan = try plan(present: present)
                plan.run(batch.entries)
                let conflicts = try conflictFields(plan, batch)
                for refusal in plan.refusals {
                    let entry = batch.entries[refusal.entry]
                    var error = refusal.error
                    if refusal.isIDConflict, let fields = conflicts[entry.line], !fields.isEmpty {
                        error.detail = "already recorded with different \(fields.joined(separator: ", "))"
                    }
                    let rejection = RecordRejection([error])
                    counts.refusals.append(rejection)
                    if let file {
                        entry.raw.withUnsafeBufferPointer { extra.appendReject(file: file, line: entry.line, rejection: rejection, raw: $0) }
                    }
                }
                counts.refused = plan.refusals.count
                counts.inserted = try store(plan, present: present)
            }
            if batch.pendingRejects + extra.pendingRejects > 0 {
                try connection.copyIn("COPY ail_stage_rejects (\(EventLoader.rejectColumns)) FROM STDIN") { writer in
                    try writer.write(batch.rejects.bytes)
                    try writer.write(extra.rejects.bytes)
                }
                try connection.execute("""
                    INSERT INTO ingest_rejects (file, line_number, reason, reason_code, raw_line, raw_line_md5)
                    SELECT file, line_number, reason, reason_code, raw_line, raw_line_md5 FROM ail_stage_rejects
                    ORDER BY file, line_number, raw_line_md5
                    ON CONFLICT (file, line_number, raw_line_md5) DO NOTHING
                    """)
            }
        }
        return counts
    }

    /// The session rows and stored event ids the chunk's rules need, its sessions locked.
    ///
    /// Sessions the database does not hold get a stand-in row first (so that a concurrent load
    /// of the same session waits for this one); the plan treats them as absent, and `store`
    /// removes those no event of the chunk ended up in.
    private func plan(present: [EventType]) throws -> LoadPlan {
        let union = present.map { "SELECT session_id, \(EventLoader.timeColumn($0)) AS t FROM \(EventLoader.stageName($0))" }
            .joined(separator: " UNION ALL ")
        let created = try connection.execute("""
            INSERT INTO ai_sessions (session_id, started_at)
            SELECT session_id, min(t) FROM (\(union)) AS events GROUP BY session_id ORDER BY session_id
            ON CONFLICT (session_id) DO NOTHING RETURNING session_id
            """)
        var standIns = Set<String>()
        for row in created { if let id: String = try row.value("session_id") { standIns.insert(id) } }
        let rows = try connection.execute("""
            SELECT session_id, event_id::text AS event_id, end_event_id::text AS end_event_id,
                   (extract(epoch FROM started_at) * 1000000)::bigint AS started,
                   (extract(epoch FROM ended_at) * 1000000)::bigint AS ended
              FROM ai_sessions WHERE session_id IN (SELECT session_id FROM (\(union)) AS events)
             ORDER BY session_id FOR NO KEY UPDATE
            """)
        var sessions: [String: LoadPlan.SessionState] = [:]
        for row in rows {
            guard let id: String = try row.value("session_id"), !standIns.contains(id) else { continue }
            sessions[id] = LoadPlan.SessionState(
                startedAt: try row.value("started", as: Int.self).map(Int64.init),
                startEvent: try row.value("event_id", as: String.self).flatMap(UUID.init(uuidString:)),
                endEvent: try row.value("end_event_id", as: String.self).flatMap(UUID.init(uuidString:)),
                endedAt: try row.value("ended", as: Int.self).map(Int64.init))
        }
        var stored: [EventType: [UUID: LoadPlan.Stored]] = [:]
        for type in present {
            let stage = EventLoader.stageName(type)
            let sql: String
            switch type {
            case .sessionStart:
                sql = "SELECT DISTINCT s.event_id::text AS id, s.start_md5 AS md5 FROM \(stage) st JOIN ai_sessions s ON s.event_id = st.event_id"
            case .sessionEnd:
                sql = "SELECT DISTINCT s.end_event_id::text AS id, s.end_md5 AS md5 FROM \(stage) st JOIN ai_sessions s ON s.end_event_id = st.event_id"
            default:
                sql = "SELECT DISTINCT t.event_id::text AS id, t.content_md5 AS md5 FROM \(stage) st JOIN \(EventLoader.tableName(type)) t USING (event_id)"
            }
            for row in try connection.execute(sql) {
                guard let id = try row.value("id", as: String.self).flatMap(UUID.init(uuidString:)) else { continue }
                stored[type, default: [:]][id] = LoadPlan.Stored(fingerprint: try row.value("md5"), line: nil)
            }
        }
        var plan = LoadPlan(sessions: sessions, stored: stored)
        plan.standIns = standIns
        return plan
    }

    /// For each event id conflict, the fields (ingest names) whose stored values differ from the
    /// earlier version's, compared by PostgreSQL (so `+01:00` and `Z` forms of one instant agree).
    private func conflictFields(_ plan: LoadPlan, _ batch: EventBatch) throws -> [Int: [String]] {
        var out: [Int: [String]] = [:]
        var byType: [EventType: [(line: Int, other: Int?)]] = [:]
        for r in plan.refusals where r.isIDConflict {
            let e = batch.entries[r.entry]
            byType[e.event.type, default: []].append((e.line, r.conflictLine))
        }
        for (type, pairs) in byType {
            let columns = EventLoader.comparedColumns(type)
            let stage = EventLoader.stageName(type)
            let differing = "array_remove(ARRAY[" + columns.map { c in
                "CASE WHEN (\(c.stage.replacingOccurrences(of: "$", with: "st."))) IS DISTINCT FROM (@@\(c.name)@@) THEN '\(c.field)' END"
            }.joined(separator: ", ") + "], NULL)"
            let inChunk = pairs.filter { $0.other != nil }, inTable = pairs.filter { $0.other == nil }
            if !inChunk.isEmpty {
                var sql = differing
                for c in columns { sql = sql.replacingOccurrences(of: "@@\(c.name)@@", with: c.stage.replacingOccurrences(of: "$", with: "o.")) }
                let rows = try connection.execute("""
                    SELECT st.line_number, \(sql) AS fields FROM \(stage) st
                    JOIN unnest($1::bigint[], $2::bigint[]) AS p(line, other) ON p.line = st.line_number
                    JOIN \(stage) o ON o.line_number = p.other
                    """, [.text("{" + inChunk.map { String($0.line) }.joined(separator: ",") + "}"),
                          .text("{" + inChunk.map { String($0.other!) }.joined(separator: ",") + "}")])
                for row in rows { out[try row.value("line_number", as: Int.self) ?? 0] = try row.value("fields", as: [String].self) ?? [] }
            }
            if !inTable.isEmpty {
                var sql = differing
                for c in columns { sql = sql.replacingOccurrences(of: "@@\(c.name)@@", with: "t." + c.table) }
                let join = type == .sessionStart ? "ai_sessions t ON t.event_id = st.event_id"
                    : type == .sessionEnd ? "ai_sessions t ON t.end_event_id = st.event_id"
                    : "\(EventLoader.tableName(type)) t ON t.event_id = st.event_id"
                let rows = try connection.execute("""
                    SELECT st.line_number, \(sql) AS fields FROM \(stage) st
                    JOIN unnest($1::bigint[]) AS p(line) ON p.line = st.line_number JOIN \(join)
                    """, [.text("{" + inTable.map { String($0.line) }.joined(separator: ",") + "}")])
                for row in rows { out[try row.value("line_number", as: Int.self) ?? 0] = try row.value("fields", as: [String].self) ?? [] }
            }
        }
        return out
    }

    /// Writes what `plan` accepted; returns the rows stored (fewer than accepted only when a
    /// concurrent load stored the same event id first: those count as duplicates).
    private func store(_ plan: LoadPlan, present: [EventType]) throws -> Int {
        var inserted = 0
        func lines(_ type: EventType) -> SQLValue { .text("{" + (plan.accepted[type] ?? []).map(String.init).joined(separator: ",") + "}") }
        // Stand-ins no event ended up in go; placeholders take their earliest event's time.
        let unused = plan.standIns.filter { plan.sessions[$0]?.startedAt == nil }.sorted()
        if !unused.isEmpty {
            try connection.execute("DELETE FROM ai_sessions WHERE session_id = ANY($1::text[])", [.textArray(unused)])
        }
        let moved = plan.touched.sorted()
        if !moved.isEmpty {
            try connection.execute("""
                UPDATE ai_sessions s SET started_at = p.started_at::timestamptz
                  FROM unnest($1::text[], $2::text[]) AS p(session_id, started_at)
                 WHERE s.session_id = p.session_id AND s.event_id IS NULL
                """, [.textArray(moved), .textArray(moved.map { plan.sessions[$0]?.placeholderStart ?? "" })])
        }
        if present.contains(.sessionStart), plan.accepted[.sessionStart] != nil {
            inserted += try connection.execute(EventLoader.sessionStartSQL, [lines(.sessionStart)]).affectedRows
        }
        for type in present where type != .sessionStart && type != .sessionEnd && plan.accepted[type] != nil {
            inserted += try connection.execute(EventLoader.insertSQL(type), [lines(type)]).affectedRows
        }
        if present.contains(.sessionEnd), plan.accepted[.sessionEnd] != nil {
            let result = try connection.execute(EventLoader.sessionEndSQL, [lines(.sessionEnd)])
            inserted += try result.first?.value("ended", as: Int.self) ?? 0
        }
        return inserted
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
        if createdStages.insert("ail_stage_rejects").inserted {
            script += "CREATE TEMP TABLE IF NOT EXISTS ail_stage_rejects (file text, line_number bigint, reason text, reason_code text, raw_line text, raw_line_md5 text) ON COMMIT DELETE ROWS;\n"
        }
        if !script.isEmpty { try connection.executeScript(script) }
    }

    // MARK: SQL

    static func stageName(_ type: EventType) -> String { "ail_stage_\(type.rawValue)" }

    static let rejectColumns = "file, line_number, reason, reason_code, raw_line, raw_line_md5"

    static func stageDefinition(_ type: EventType) -> String {
        let tail = ", content_md5 text, line_number bigint"
        switch type {
        case .sessionStart:
            return "event_id uuid, session_id text, developer_id text, started_at timestamptz, task_type text, context jsonb, tags text[]" + tail
        case .interaction:
            return "event_id uuid, session_id text, occurred_at timestamptz, interaction_type text, model_name text, success boolean, response_time_ms double precision, tokens_in integer, tokens_out integer, error_type text, error_message text, context_tags text[]" + tail
        case .toolUsage:
            return "event_id uuid, session_id text, occurred_at timestamptz, tool_name text, success boolean, execution_time_ms double precision, error_type text, error_message text, parameters jsonb" + tail
        case .codeGeneration:
            return "event_id uuid, session_id text, occurred_at timestamptz, generation_id text, file_path text, generation_type text, language text, lines_generated integer, complexity double precision, accepted boolean, time_to_decision_ms double precision, lines_modified integer" + tail
        case .feedback:
            return "event_id uuid, session_id text, occurred_at timestamptz, rating integer, feedback_text text, context_tags text[]" + tail
        case .context:
            return "event_id uuid, session_id text, occurred_at timestamptz, context_type text, context_data jsonb, relevance_score double precision" + tail
        case .learning:
            return "event_id uuid, session_id text, occurred_at timestamptz, learning_type text, description text, confidence_score double precision, applied boolean, applied_successfully boolean" + tail
        case .sessionEnd:
            return "event_id uuid, session_id text, ended_at timestamptz, rating integer, end_text text, tags text[]" + tail
        }
    }

    /// Column names of a stage, in COPY order.
    static func stageColumns(_ type: EventType) -> String {
        stageDefinition(type).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).split(separator: " ")[0] }
            .joined(separator: ", ")
    }

    static func timeColumn(_ type: EventType) -> String {
        type == .sessionStart ? "started_at" : type == .sessionEnd ? "ended_at" : "occurred_at"
    }

    /// The table an event type is stored in.
    static func tableName(_ type: EventType) -> String {
        switch type {
        case .sessionStart, .sessionEnd: return "ai_sessions"
        case .interaction: return "ai_interactions"
        case .toolUsage: return "tool_usage_analytics"
        case .codeGeneration: return "code_generation_events"
        case .feedback: return "user_feedback"
        case .context: return "context_awareness_events"
        case .learning: return "learning_events"
        }
    }

    /// The fields compared to name what differs in an event id conflict: the ingest name, the
    /// stage expression (`$` stands for the stage row) and the stored column.
    static func comparedColumns(_ type: EventType) -> [(field: String, name: String, stage: String, table: String)] {
        func same(_ fields: [String]) -> [(field: String, name: String, stage: String, table: String)] {
            fields.map { ($0, $0, "$" + $0, $0) }
        }
        let occurred = [(field: "occurred_at", name: "occurred_at", stage: "$occurred_at", table: "created_at")]
        switch type {
        case .sessionStart:
            return same(["session_id", "started_at", "task_type"])
                + [("developer", "developer_id", "$developer_id", "developer_id"),
                   ("context", "context", "COALESCE($context, '{}'::jsonb)", "context")]
        case .sessionEnd:
            return same(["session_id", "ended_at"]) + [("rating", "rating", "$rating", "end_rating"),
                                                        ("text", "end_text", "$end_text", "end_feedback_text")]
        case .interaction:
            return same(["session_id"]) + occurred + same(["interaction_type", "success", "response_time_ms", "tokens_in",
                "tokens_out", "error_type", "error_message"])
                + [("model", "model_name", "$model_name", "model_name"),
                   ("context_tags", "context_tags", "COALESCE($context_tags, '{}')", "context_tags")]
        case .toolUsage:
            return same(["session_id"]) + occurred + same(["tool_name", "success", "execution_time_ms", "error_type", "error_message"])
                + [("parameters", "parameters", "COALESCE($parameters, '{}'::jsonb)", "parameters")]
        case .codeGeneration:
            return same(["session_id"]) + occurred + same(["generation_id", "file_path", "generation_type", "language",
                "lines_generated", "complexity", "accepted", "time_to_decision_ms", "lines_modified"])
        case .feedback:
            return same(["session_id"]) + occurred + [("rating", "rating", "$rating", "rating"), ("text", "feedback_text", "$feedback_text", "feedback_text"),
                ("context_tags", "context_tags", "COALESCE($context_tags, '{}')", "context_tags")]
        case .context:
            return same(["session_id"]) + occurred + same(["context_type", "relevance_score"])
                + [("data", "context_data", "$context_data", "context_data")]
        case .learning:
            return same(["session_id"]) + occurred + same(["learning_type", "description", "confidence_score", "applied",
                "applied_successfully"])
        }
    }

    /// Accepted session starts (`$1`: their line numbers) fill in their session's row, which
    /// exists (a placeholder or this chunk's stand-in): `LoadPlan` chose at most one per session.
    static let sessionStartSQL = """
        UPDATE ai_sessions AS s SET
            event_id = st.event_id, developer_id = st.developer_id, started_at = st.started_at,
            task_type = st.task_type, context = COALESCE(st.context, '{}'::jsonb),
            tags = COALESCE(st.tags, '{}') || ARRAY(SELECT t FROM unnest(s.tags) AS t WHERE t <> ALL (COALESCE(st.tags, '{}'))),
            start_md5 = st.content_md5
        FROM ail_stage_session_start st JOIN unnest($1::bigint[]) AS a(line) ON a.line = st.line_number
        WHERE s.session_id = st.session_id AND s.event_id IS NULL
        """

    static func insertSQL(_ type: EventType) -> String {
        let stage = stageName(type) + " st JOIN unnest($1::bigint[]) AS a(line) ON a.line = st.line_number"
        switch type {
        case .interaction:
            return """
                INSERT INTO ai_interactions (event_id, session_id, interaction_type, model_name, success, response_time_ms,
                    tokens_in, tokens_out, error_type, error_message, context_tags, created_at, content_md5)
                SELECT event_id, session_id, interaction_type, model_name, success, response_time_ms, tokens_in, tokens_out,
                    error_type, error_message, COALESCE(context_tags, '{}'), occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .toolUsage:
            return """
                INSERT INTO tool_usage_analytics (event_id, session_id, tool_name, success, execution_time_ms, error_type,
                    error_message, parameters, created_at, content_md5)
                SELECT event_id, session_id, tool_name, success, execution_time_ms, error_type, error_message,
                    COALESCE(parameters, '{}'::jsonb), occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .codeGeneration:
            return """
                INSERT INTO code_generation_events (event_id, session_id, generation_id, file_path, generation_type, language,
                    lines_generated, complexity, accepted, decided_at, time_to_decision_ms, lines_modified, created_at, content_md5)
                SELECT event_id, session_id, generation_id, file_path, generation_type, language, lines_generated, complexity,
                    accepted, CASE WHEN accepted IS NOT NULL THEN occurred_at + time_to_decision_ms * interval '1 millisecond' END,
                    time_to_decision_ms, lines_modified, occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .feedback:
            return """
                INSERT INTO user_feedback (event_id, session_id, rating, feedback_text, context_tags, created_at, content_md5)
                SELECT event_id, session_id, rating, feedback_text, COALESCE(context_tags, '{}'), occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .context:
            return """
                INSERT INTO context_awareness_events (event_id, session_id, context_type, context_data, relevance_score, created_at, content_md5)
                SELECT event_id, session_id, context_type, context_data, relevance_score, occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .learning:
            return """
                INSERT INTO learning_events (event_id, session_id, learning_type, description, confidence_score, applied,
                    applied_successfully, created_at, content_md5)
                SELECT event_id, session_id, learning_type, description, confidence_score, applied, applied_successfully,
                    occurred_at, content_md5 FROM \(stage)
                ORDER BY event_id
                ON CONFLICT (event_id) DO NOTHING
                """
        case .sessionStart, .sessionEnd:
            preconditionFailure("sessions are loaded by sessionStartSQL and sessionEndSQL")
        }
    }

    /// Ends sessions with the accepted session_end events (`$1`: their line numbers; `LoadPlan`
    /// chose at most one per session, never before an explicit start) and adds each end's rating
    /// to `user_feedback` under the end's event id.
    static let sessionEndSQL = """
        WITH ended AS (
            UPDATE ai_sessions s SET
                ended_at = f.ended_at, end_rating = f.rating, end_feedback_text = f.end_text, end_event_id = f.event_id,
                end_md5 = f.content_md5,
                tags = CASE WHEN f.tags IS NULL THEN s.tags
                            ELSE s.tags || ARRAY(SELECT t FROM unnest(f.tags) AS t WHERE t <> ALL (s.tags)) END
            FROM ail_stage_session_end f JOIN unnest($1::bigint[]) AS a(line) ON a.line = f.line_number
            WHERE s.session_id = f.session_id AND s.end_event_id IS NULL
            RETURNING f.event_id, f.session_id, f.rating, f.end_text, f.tags, f.ended_at
        ), rated AS (
            INSERT INTO user_feedback (event_id, session_id, rating, feedback_text, context_tags, created_at)
            SELECT event_id, session_id, rating, end_text, COALESCE(tags, '{}'), ended_at FROM ended
            WHERE rating IS NOT NULL
            ORDER BY event_id
            ON CONFLICT (event_id) DO NOTHING
        )
        SELECT (SELECT count(*) FROM ended)::bigint AS ended
        """
}
