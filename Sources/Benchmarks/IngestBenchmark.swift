import Foundation
import Store
import Tracking
import Primitives

/// `ail-bench ingest [--events N] [--single N]`: NDJSON ingest (validation, pseudonymisation,
/// redaction, staging, ON CONFLICT) against `psql \copy` of the equivalent final rows into the
/// same tables, in the same run; then the single-event path (one SessionMonitor call = one
/// durable commit). Goal: ingest ≥ 50% of raw COPY.
func runIngestBenchmark(arguments: [String]) throws {
    let dsn = try Bench.dsn()
    let target = Int(Bench.option("--events", in: arguments) ?? "") ?? 1_000_000
    let singles = Int(Bench.option("--single", in: arguments) ?? "") ?? 2_000
    guard let psql = Bench.which("psql") else {
        throw StoreError(code: .invalidArgument, message: "psql not found on PATH or under /usr/lib/postgresql")
    }
    let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".bench/ingest")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("events-\(target).ndjson")
    let connection = try Connection(dsn: dsn)
    _ = try MigrationRunner.embedded.migrate(connection)
    let pseudonymizer = Pseudonymizer(key: Data("bench-key".utf8))

    // 1. The workload: the default scenario, cut at `target` events.
    let developers = max(1, target / 2200 + 1)
    var lines = 0
    let simulateSeconds = try Bench.time {
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var buffer = [UInt8]()
        struct Enough: Error {}
        do {
            try WorkloadSimulator(developers: developers, days: 90, seed: 42).run { line in
                guard lines < target else { throw Enough() }
                buffer.append(contentsOf: line.utf8)
                buffer.append(0x0A)
                lines += 1
                if buffer.count > 1 << 22 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
        } catch is Enough {}
        try handle.write(contentsOf: buffer)
    }
    print("workload: \(lines) events (\(developers) developers × 90 days, seed 42) written in \(String(format: "%.1f", simulateSeconds)) s")

    // 2. The equivalent final rows as COPY files, for psql (not timed).
    let rows = try EquivalentRows.build(from: file, pseudonymizer: pseudonymizer, redactor: SecretRedactor())
    var script = ""
    for table in rows.tables {
        let path = folder.appendingPathComponent("\(table.name).copy")
        try Data(table.data).write(to: path)
        script += "\\copy \(table.name) (\(table.columns)) FROM '\(path.path)'\n"
    }
    let scriptURL = folder.appendingPathComponent("copy.psql")
    try script.write(to: scriptURL, atomically: true, encoding: .utf8)

    func truncate() throws {
        try connection.executeScript("TRUNCATE ai_sessions, ai_interactions, tool_usage_analytics, code_generation_events, user_feedback, context_awareness_events, learning_events, ingest_rejects; CHECKPOINT")
    }

    // 3. psql \copy of the same rows.
    try truncate()
    let copySeconds = try Bench.time { try Bench.run(psql, [dsn, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", scriptURL.path]) }
    let copyRate = Double(lines) / copySeconds
    let copied = try IngestBenchmarkCounts.storedEvents(connection)

    // 4. ail's NDJSON ingest.
    try truncate()
    var summary = IngestSummary()
    let ingestSeconds = try Bench.time {
        let loader = EventLoader(connection: connection, pseudonymizer: pseudonymizer)
        summary = try BatchIngester(loader: loader).ingest(path: file.path)
    }
    let ingestRate = Double(summary.received) / ingestSeconds
    let stored = try IngestBenchmarkCounts.storedEvents(connection)
    guard summary.inserted == lines, stored == lines, copied == lines else {
        throw StoreError(code: .invalidArgument, message: "counts differ: ingest \(summary), stored \(stored), psql stored \(copied), lines \(lines)")
    }

    // 5. Re-sending the whole file: every event a duplicate.
    var again = IngestSummary()
    let againSeconds = try Bench.time {
        again = try BatchIngester(loader: EventLoader(connection: connection, pseudonymizer: pseudonymizer)).ingest(path: file.path)
    }

    // 6. Single-event path.
    let monitor = SessionMonitor(connection: connection, pseudonymizer: pseudonymizer)
    let session = "bench-single-\(UUID().uuidString)"
    try monitor.startSession(id: session)
    let singleSeconds = try Bench.time {
        for i in 0..<singles {
            try monitor.logToolUsage(tool: "grep", success: i % 10 != 0, executionTimeMs: Double(100 + i % 50), session: session)
        }
    }

    func f(_ x: Double) -> String { String(format: "%.0f", x) }
    print("ail ingest (NDJSON, validated):  \(summary.received) events in \(String(format: "%.2f", ingestSeconds)) s = \(f(ingestRate)) events/s")
    print("psql \\copy (same final rows):    \(lines) events in \(String(format: "%.2f", copySeconds)) s = \(f(copyRate)) events/s")
    print("ratio ail/psql: \(String(format: "%.2f", ingestRate / copyRate)) (goal >= 0.50)")
    print("re-ingest of the same file:      \(again) in \(String(format: "%.2f", againSeconds)) s = \(f(Double(again.received) / againSeconds)) events/s")
    print("single-event path (SessionMonitor, one durable commit each): \(singles) events in \(String(format: "%.2f", singleSeconds)) s = \(f(Double(singles) / singleSeconds)) events/s")
}

enum IngestBenchmarkCounts {
    static func storedEvents(_ connection: Connection) throws -> Int {
        let result = try connection.execute("""
            SELECT ((SELECT count(*) FROM ai_sessions WHERE event_id IS NOT NULL)
                  + (SELECT count(*) FROM ai_sessions WHERE end_event_id IS NOT NULL)
                  + (SELECT count(*) FROM ai_interactions) + (SELECT count(*) FROM tool_usage_analytics)
                  + (SELECT count(*) FROM code_generation_events) + (SELECT count(*) FROM context_awareness_events)
                  + (SELECT count(*) FROM learning_events)
                  + (SELECT count(*) FROM user_feedback f WHERE NOT EXISTS (SELECT 1 FROM ai_sessions s WHERE s.end_event_id = f.event_id)))::bigint
            """)
        return try result.first?.value(0, as: Int.self) ?? -1
    }
}

/// The rows ingest would leave in the tables, prepared in COPY text format for `psql \copy`.
enum EquivalentRows {
    struct Table { let name: String; let columns: String; var data: [UInt8] = [] }

    struct Result { var tables: [Table] }

    static func build(from file: URL, pseudonymizer: Pseudonymizer, redactor: SecretRedactor) throws -> Result {
        let decoder = EventDecoder()
        let text = try String(contentsOf: file, encoding: .utf8)
        struct Session {
            var eventID: String?, developer: String?, startedAt: String, task: String?, context: String, tags: [String]
            var endedAt: String?, rating: Int?, endText: String?, endEventID: String?, firstSeen: Double
        }
        var sessions: [String: Session] = [:]
        var order: [String] = []
        var interactions = Table(name: "ai_interactions", columns: "event_id, session_id, interaction_type, model_name, success, response_time_ms, tokens_in, tokens_out, error_type, error_message, context_tags, created_at")
        var tools = Table(name: "tool_usage_analytics", columns: "event_id, session_id, tool_name, success, execution_time_ms, error_type, error_message, parameters, created_at")
        var generations = Table(name: "code_generation_events", columns: "event_id, session_id, generation_id, file_path, generation_type, language, lines_generated, complexity, accepted, decided_at, time_to_decision_ms, lines_modified, created_at")
        var feedback = Table(name: "user_feedback", columns: "event_id, session_id, rating, feedback_text, context_tags, created_at")
        var contexts = Table(name: "context_awareness_events", columns: "event_id, session_id, context_type, context_data, relevance_score, created_at")
        var learning = Table(name: "learning_events", columns: "event_id, session_id, learning_type, description, confidence_score, applied, applied_successfully, created_at")

        func field(_ s: String?) -> String { s.map(CopyText.escaped) ?? CopyText.null }
        func array(_ items: [String]?) -> String {
            guard let items else { return "{}" }
            return field("{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ",") + "}")
        }
        func num(_ d: Double?) -> String { d.map { $0.description } ?? "\\N" }
        func int(_ i: Int?) -> String { i.map(String.init) ?? "\\N" }
        func bool(_ b: Bool?) -> String { b.map { $0 ? "t" : "f" } ?? "\\N" }
        func row(_ table: inout Table, _ fields: [String]) {
            table.data.append(contentsOf: fields.joined(separator: "\t").utf8)
            table.data.append(0x0A)
        }
        func touch(_ id: String, _ t: Timestamp) {
            if sessions[id] == nil {
                sessions[id] = Session(eventID: nil, developer: nil, startedAt: t.text, task: nil, context: "{}", tags: [],
                                       endedAt: nil, rating: nil, endText: nil, endEventID: nil, firstSeen: t.secondsSince1970)
                order.append(id)
            } else if sessions[id]!.eventID == nil, t.secondsSince1970 < sessions[id]!.firstSeen {
                sessions[id]!.startedAt = t.text
                sessions[id]!.firstSeen = t.secondsSince1970
            }
        }
        for line in text.split(separator: "\n") {
            guard case .success(let event) = decoder.decode(line: String(line)) else { continue }
            let id = event.eventID.uuidString.lowercased()
            switch event {
            case .sessionStart(let e):
                touch(e.sessionID, e.startedAt)
                sessions[e.sessionID]!.eventID = id
                sessions[e.sessionID]!.developer = e.developer.map { pseudonymizer.pseudonym(for: $0) }
                sessions[e.sessionID]!.startedAt = e.startedAt.text
                sessions[e.sessionID]!.task = e.taskType
                sessions[e.sessionID]!.context = e.context.map { redactor.redactJSON($0).text } ?? "{}"
                sessions[e.sessionID]!.tags = (e.tags ?? []) + sessions[e.sessionID]!.tags
            case .interaction(let e):
                touch(e.sessionID, e.occurredAt)
                row(&interactions, [id, field(e.sessionID), e.interactionType.rawValue, field(e.model), bool(e.success), num(e.responseTimeMs),
                                    int(e.tokensIn), int(e.tokensOut), field(e.errorType), field(redactor(e.errorMessage)), array(e.contextTags), e.occurredAt.text])
            case .toolUsage(let e):
                touch(e.sessionID, e.occurredAt)
                row(&tools, [id, field(e.sessionID), field(e.toolName), bool(e.success), num(e.executionTimeMs), field(e.errorType),
                             field(redactor(e.errorMessage)), field(e.parameters.map { redactor.redactJSON($0).text } ?? "{}"), e.occurredAt.text])
            case .codeGeneration(let e):
                touch(e.sessionID, e.occurredAt)
                let decided = e.accepted != nil ? e.timeToDecisionMs.map { TimestampText.format(secondsSince1970: e.occurredAt.secondsSince1970 + $0 / 1000) } : nil
                row(&generations, [id, field(e.sessionID), field(e.generationID), field(e.filePath), e.generationType.rawValue, field(e.language),
                                   int(e.linesGenerated), num(e.complexity), bool(e.accepted), decided ?? "\\N", num(e.timeToDecisionMs),
                                   int(e.linesModified), e.occurredAt.text])
            case .feedback(let e):
                touch(e.sessionID, e.occurredAt)
                row(&feedback, [id, field(e.sessionID), String(e.rating), field(redactor(e.text)), array(e.contextTags), e.occurredAt.text])
            case .context(let e):
                touch(e.sessionID, e.occurredAt)
                row(&contexts, [id, field(e.sessionID), e.contextType.rawValue, field(redactor.redactJSON(e.data).text), num(e.relevanceScore), e.occurredAt.text])
            case .learning(let e):
                touch(e.sessionID, e.occurredAt)
                row(&learning, [id, field(e.sessionID), field(e.learningType), field(redactor(e.description)), num(e.confidenceScore),
                                bool(e.applied), bool(e.appliedSuccessfully), e.occurredAt.text])
            case .sessionEnd(let e):
                touch(e.sessionID, e.endedAt)
                guard sessions[e.sessionID]!.endEventID == nil else { continue }
                sessions[e.sessionID]!.endEventID = id
                sessions[e.sessionID]!.endedAt = e.endedAt.text
                sessions[e.sessionID]!.rating = e.rating
                sessions[e.sessionID]!.endText = redactor(e.text)
                sessions[e.sessionID]!.tags += (e.tags ?? []).filter { !sessions[e.sessionID]!.tags.contains($0) }
                if let rating = e.rating {
                    row(&feedback, [id, field(e.sessionID), String(rating), field(redactor(e.text)), array(e.tags), e.endedAt.text])
                }
            }
        }
        var sessionTable = Table(name: "ai_sessions", columns: "session_id, event_id, developer_id, started_at, ended_at, task_type, context, tags, end_rating, end_feedback_text, end_event_id")
        for id in order {
            let s = sessions[id]!
            row(&sessionTable, [field(id), s.eventID ?? "\\N", field(s.developer), s.startedAt, s.endedAt ?? "\\N", field(s.task), field(s.context),
                                array(s.tags), int(s.rating), field(s.endText), s.endEventID ?? "\\N"])
        }
        return Result(tables: [sessionTable, interactions, tools, generations, feedback, contexts, learning])
    }
}
